package jsonx

import (
	"encoding/json"
	"math"
	"testing"
)

func TestIntTakesIntegralNumbersInAnyNotation(t *testing.T) {
	cases := map[string]int64{
		"3": 3, "3.0": 3, "3e0": 3, "30e-1": 3, "0.3e1": 3, "-0": 0, "0e99999999999": 0, "-7": -7,
		"2147483647": math.MaxInt32, "4294967297": 4294967297, "1e30": math.MaxInt64, "-1e30": math.MinInt64,
		"9223372036854775807": math.MaxInt64, "9223372036854775808": math.MaxInt64, "1E+2": 100,
		"99999999999999999999999999": math.MaxInt64, "1e99999999999999999999": math.MaxInt64,
	}
	for literal, want := range cases {
		var got Int
		if err := json.Unmarshal([]byte(literal), &got); err != nil || int64(got) != want {
			t.Errorf("%s: got %d, %v; want %d", literal, got, err, want)
		}
	}
}

func TestIntRefusesFractionsAndOtherTypes(t *testing.T) {
	for _, literal := range []string{"3.5", "0.1", "1e-1", "1e-99999999999999", `"3"`, "true", "[1]", `{"a":1}`} {
		var got Int
		if err := json.Unmarshal([]byte(literal), &got); err == nil {
			t.Errorf("%s: accepted as %d", literal, got)
		}
	}
}

func TestTextDecodesAsEncodingJSONDoes(t *testing.T) {
	for _, literal := range []string{`"plain"`, `"a\"b\\c\/d"`, `"\b\f\n\r\t"`, `"\u00e9\u65e5"`, `"\ud83d\ude00"`, `"\u0000"`, `"l'oréal"`} {
		var want string
		var got Text
		if err := json.Unmarshal([]byte(literal), &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(literal), &got); err != nil || string(got) != want {
			t.Errorf("%s: got %q, %v; want %q", literal, got, err, want)
		}
	}
}

func TestTextKeepsUnpairedSurrogatesAsInvalidUTF8(t *testing.T) {
	cases := map[string]string{`"\ud800"`: "\xed\xa0\x80", `"a\udc00b"`: "a\xed\xb0\x80b", `"\ud800\u0041"`: "\xed\xa0\x80A"}
	for literal, want := range cases {
		var got Text
		if err := json.Unmarshal([]byte(literal), &got); err != nil || string(got) != want {
			t.Errorf("%s: got %q, %v; want %q", literal, got, err, want)
		}
	}
}

func TestTextRefusesOtherTypes(t *testing.T) {
	for _, literal := range []string{"5", "true", `["a"]`, "{}"} {
		var got Text
		if err := json.Unmarshal([]byte(literal), &got); err == nil {
			t.Errorf("%s: accepted as %q", literal, got)
		}
	}
}
