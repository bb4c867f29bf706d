// Package jsonx holds the JSON field types of request bodies, for RULES.md §2: an integer field
// takes any JSON number with an integral value, a text field only a JSON string. Both are used
// through pointers, so a missing field and a null are both nil, for a `required` rule to refuse.
package jsonx

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Int is a JSON number with an integral value, in any notation: 3, 3.0, 3e0 and 30e-1 are all
// 3. A fraction (3.5) or another JSON type is a type error, as encoding/json reports them. An
// integral value beyond ±10^19 saturates to the nearest int64 bound, so that a range rule
// refuses it like any other integer out of range (1e30 is well-formed, only too big).
type Int int64

// UnmarshalJSON reads the number literal exactly, without going through a float.
func (i *Int) UnmarshalJSON(raw []byte) error {
	n, ok := integral(string(raw))
	if !ok {
		return &json.UnmarshalTypeError{Value: "non-integer " + kind(raw), Type: reflect.TypeFor[Int]()}
	}
	*i = Int(n)
	return nil
}

// integral reads a JSON value that encoding/json has already checked. ok is false unless it is a
// number with an integral value.
func integral(literal string) (n int64, ok bool) {
	if literal == "" || !(literal[0] == '-' || literal[0] >= '0' && literal[0] <= '9') {
		return 0, false // a string, true, false, an array or an object
	}
	negative := strings.HasPrefix(literal, "-")
	mantissa, exponent := strings.TrimPrefix(literal, "-"), 0
	if at := strings.IndexAny(mantissa, "eE"); at >= 0 {
		mantissa, exponent = mantissa[:at], clampedAtoi(mantissa[at+1:])
	}
	whole, fraction, _ := strings.Cut(mantissa, ".")
	// The value is digits × 10^exponent, digits without leading or trailing zeros.
	digits := strings.TrimLeft(whole+fraction, "0")
	exponent -= len(fraction)
	trimmed := strings.TrimRight(digits, "0")
	exponent += len(digits) - len(trimmed)
	switch {
	case trimmed == "":
		return 0, true
	case exponent < 0:
		return 0, false // a fraction remains
	case len(trimmed)+exponent > 19:
		return saturated(negative), true
	}
	n, err := strconv.ParseInt(trimmed+strings.Repeat("0", exponent), 10, 64)
	if err != nil {
		return saturated(negative), true // 19 digits beyond int64
	}
	if negative {
		n = -n
	}
	return n, true
}

// clampedAtoi reads an exponent, holding a huge one at ±1e9 (beyond any int64, below overflow).
func clampedAtoi(text string) int {
	n, err := strconv.Atoi(text)
	if err != nil { // out of int range: the digits were checked by encoding/json
		if strings.HasPrefix(text, "-") {
			return -1e9
		}
		return 1e9
	}
	return max(-1e9, min(n, 1e9))
}

func saturated(negative bool) int64 {
	if negative {
		return math.MinInt64
	}
	return math.MaxInt64
}

// Text is a JSON string. It decodes as encoding/json does, except that it keeps what is not
// text where encoding/json would put U+FFFD: an unpaired surrogate escape (\ud800) becomes its
// three WTF-8 bytes, and bytes that are not UTF-8 stay as they are. The contract refuses such
// text (422), so a validation rule must be able to see it.
type Text string

// UnmarshalJSON accepts only a string.
func (t *Text) UnmarshalJSON(raw []byte) error {
	if len(raw) < 2 || raw[0] != '"' {
		return &json.UnmarshalTypeError{Value: kind(raw), Type: reflect.TypeFor[Text]()}
	}
	*t = Text(unquote(raw[1 : len(raw)-1]))
	return nil
}

// unquote decodes the inside of a string literal that encoding/json has already checked.
func unquote(s []byte) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		i++
		switch s[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(s[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) && r < 0xDC00 && i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if low := hex4(s[i+3 : i+7]); low >= 0xDC00 && low <= 0xDFFF {
					out = utf8.AppendRune(out, utf16.DecodeRune(r, low))
					i += 6
					continue
				}
			}
			if utf16.IsSurrogate(r) { // unpaired: WTF-8, three bytes that no UTF-8 decoder accepts
				out = append(out, 0xE0|byte(r>>12), 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
				continue
			}
			out = utf8.AppendRune(out, r)
		default: // " \ /
			out = append(out, s[i])
		}
	}
	return string(out)
}

func hex4(h []byte) rune {
	n, _ := strconv.ParseUint(string(h), 16, 16)
	return rune(n)
}

// kind names a JSON value's type for an error message.
func kind(raw []byte) string {
	switch {
	case len(raw) == 0:
		return "nothing"
	case raw[0] == '"':
		return "string"
	case raw[0] == '{':
		return "object"
	case raw[0] == '[':
		return "array"
	case raw[0] == 't' || raw[0] == 'f':
		return "bool"
	default:
		return "number"
	}
}
