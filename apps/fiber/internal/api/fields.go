package api

import (
	"encoding/json"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Body fields are pointers to these two types, so that a missing field and null are both nil for
// the `required` rule (RULES.md §2: 400).

// wholeNumber is a JSON number with an integral value in any notation (3, 3.0, 3e0, 30e-1). A
// fraction or another JSON type is a type error (400). A value beyond int64 saturates, so that
// the range rules refuse it as out of range (422), as they do any other.
type wholeNumber int64

// numberLiteral splits a JSON number: sign, integer digits, fraction digits, exponent.
var numberLiteral = regexp.MustCompile(`^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([-+]?[0-9]+))?$`)

func (n *wholeNumber) UnmarshalJSON(raw []byte) error {
	value, ok := readWhole(string(raw))
	if !ok {
		return &json.UnmarshalTypeError{Value: "not an integer: " + string(raw), Type: reflect.TypeFor[wholeNumber]()}
	}
	*n = wholeNumber(value)
	return nil
}

// readWhole reads a number literal as digits × 10^exponent, in decimal text, never through a
// float: ok is false for anything but a number with an integral value.
func readWhole(literal string) (value int64, ok bool) {
	parts := numberLiteral.FindStringSubmatch(literal)
	if parts == nil {
		return 0, false
	}
	sign, fraction := parts[1], parts[3]
	digits := strings.TrimLeft(parts[2]+fraction, "0")
	if digits == "" {
		return 0, true // zero, whatever its exponent
	}
	exponent := -len(fraction)
	if parts[4] != "" {
		e, err := strconv.ParseInt(parts[4], 10, 64)
		if err != nil { // beyond int64: the digits alone decide
			if parts[4][0] == '-' {
				return 0, false
			}
			return bound(sign), true
		}
		exponent += int(max(-1e9, min(e, 1e9)))
	}
	for exponent < 0 && strings.HasSuffix(digits, "0") {
		digits, exponent = digits[:len(digits)-1], exponent+1
	}
	if exponent < 0 {
		return 0, false // digits remain after the point
	}
	if len(digits)+exponent > 19 {
		return bound(sign), true
	}
	value, err := strconv.ParseInt(sign+digits+strings.Repeat("0", exponent), 10, 64)
	if err != nil {
		return bound(sign), true
	}
	return value, true
}

func bound(sign string) int64 {
	if sign == "-" {
		return math.MinInt64
	}
	return math.MaxInt64
}

// text is a JSON string. encoding/json decodes it, putting U+FFFD for an unpaired surrogate
// escape (\ud800) and for each byte that is not UTF-8; the contract refuses such a string (422),
// so lossy records that a U+FFFD came from decoding rather than from the client.
type text struct {
	value string
	lossy bool
}

func (t *text) UnmarshalJSON(raw []byte) error {
	if len(raw) == 0 || raw[0] != '"' {
		return &json.UnmarshalTypeError{Value: "not a string: " + string(raw), Type: reflect.TypeFor[text]()}
	}
	if err := json.Unmarshal(raw, &t.value); err != nil {
		return err
	}
	t.lossy = strings.Count(t.value, "\uFFFD") > sentReplacements(raw)
	return nil
}

// sentReplacements counts the U+FFFD a string literal holds as sent: encoded in UTF-8, or
// escaped as \ufffd (in either case).
func sentReplacements(literal []byte) int {
	sent := 0
	for i := 0; i < len(literal); {
		r, size := utf8.DecodeRune(literal[i:])
		switch {
		case r == utf8.RuneError && size == 3:
			sent++
		case r == '\\' && i+1 < len(literal):
			if literal[i+1] == 'u' && i+6 <= len(literal) && strings.EqualFold(string(literal[i+2:i+6]), "fffd") {
				sent++
			}
			size = 2 // the escaped character, whatever it is
		}
		i += size
	}
	return sent
}

// textValue shows the validator a text's string, so that uuid, max and checkout_email apply to it.
func textValue(field reflect.Value) any {
	return field.Interface().(text).value
}
