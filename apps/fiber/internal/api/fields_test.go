package api

import (
	"encoding/json"
	"math"
	"testing"
)

func TestWholeNumbersAreReadExactlyInAnyNotation(t *testing.T) {
	cases := map[string]int64{
		"3": 3, "3.0": 3, "3e0": 3, "30e-1": 3, "0.3e1": 3, "-0": 0, "0e99999999999": 0, "-7": -7, "1E+2": 100,
		"2147483647": math.MaxInt32, "4294967297": 4294967297, "1e30": math.MaxInt64, "-1e30": math.MinInt64,
		"9223372036854775807": math.MaxInt64, "9223372036854775808": math.MaxInt64, "-9223372036854775808": math.MinInt64,
		"99999999999999999999999999": math.MaxInt64, "1e99999999999999999999": math.MaxInt64, "1500e-2": 15,
	}
	for literal, want := range cases {
		var got wholeNumber
		if err := json.Unmarshal([]byte(literal), &got); err != nil || int64(got) != want {
			t.Errorf("%s: got %d, %v; want %d", literal, got, err, want)
		}
	}
}

func TestFractionsAndOtherTypesAreNoWholeNumber(t *testing.T) {
	for _, literal := range []string{"3.5", "0.1", "1e-1", "1e-99999999999999", "1e-99999999999999999999", "2147483647.0000000001", `"3"`, "true", "[1]", `{"a":1}`} {
		var got wholeNumber
		if err := json.Unmarshal([]byte(literal), &got); err == nil {
			t.Errorf("%s: accepted as %d", literal, got)
		}
	}
}

func TestTextIsLossyOnlyWhenDecodingPutAReplacementCharacter(t *testing.T) {
	cases := map[string]bool{
		`"plain"`: false, `"a\"b\\c\/d"`: false, `"\u00e9\u65e5"`: false, `"\ud83d\ude00"`: false, `"\u0000"`: false,
		`"\ufffd"`: false, `"\uFFFD"`: false, "\"\xef\xbf\xbd\"": false, `"\\ufffd"`: false,
		`"\ud800"`: true, `"a\udc00b"`: true, `"\ud800\u0041"`: true, "\"\xff\"": true, `"\ufffd\ud800"`: true,
	}
	for literal, lossy := range cases {
		var got text
		if err := json.Unmarshal([]byte(literal), &got); err != nil || got.lossy != lossy {
			t.Errorf("%s: lossy %v, %v; want %v", literal, got.lossy, err, lossy)
		}
	}
}

func TestTextTakesOnlyStrings(t *testing.T) {
	for _, literal := range []string{"5", "true", `["a"]`, "{}"} {
		var got text
		if err := json.Unmarshal([]byte(literal), &got); err == nil {
			t.Errorf("%s: accepted as %q", literal, got.value)
		}
	}
}
