// Package input holds the contract's rules for what clients send that no web framework knows
// (apps/contract/RULES.md §1–§3): path ids, the body's media type, the search parameters, and
// the validation rules that request types name in their tags. A refusal is a *Fault, which
// carries its status.
package input

import (
	"errors"
	"fmt"
	"mime"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Fault is input the contract refuses: Status is 400, 413 or 422.
type Fault struct {
	Status  int
	Message string
}

func (f *Fault) Error() string {
	return f.Message
}

// Invalid is a 422: well-formed input whose value is not allowed.
func Invalid(format string, args ...any) *Fault {
	return &Fault{Status: 422, Message: fmt.Sprintf(format, args...)}
}

// Malformed is a 400: input that is not the JSON the route reads.
func Malformed(format string, args ...any) *Fault {
	return &Fault{Status: 400, Message: fmt.Sprintf(format, args...)}
}

var (
	productID = regexp.MustCompile(`^[1-9][0-9]{0,9}$`)
	orderID   = regexp.MustCompile(`^[1-9][0-9]{0,18}$`)
	uuid      = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)
	visible   = regexp.MustCompile(`^[\x21-\x7E]{1,64}$`)
)

// ProductID reads a product id path segment: decimal digits, no sign, no leading zero, 32 bits.
// ok is false for any other text, which names no product.
func ProductID(segment string) (id int32, ok bool) {
	if !productID.MatchString(segment) {
		return 0, false
	}
	n, err := strconv.ParseInt(segment, 10, 32)
	return int32(n), err == nil
}

// OrderID reads an order id path segment, as ProductID does but up to 64 bits.
func OrderID(segment string) (id int64, ok bool) {
	if !orderID.MatchString(segment) {
		return 0, false
	}
	n, err := strconv.ParseInt(segment, 10, 64)
	return n, err == nil
}

// CartID reads a cart id: a UUID in either case, answered in lower case as PostgreSQL prints it.
func CartID(text string) (id string, ok bool) {
	if !uuid.MatchString(text) {
		return "", false
	}
	return strings.ToLower(text), true
}

// JSONMediaType tells whether a Content-Type declares a JSON body: the media type
// application/json in any case, and a charset, if one is given, of UTF-8.
func JSONMediaType(contentType string) bool {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return false
	}
	charset, given := params["charset"]
	return mediaType == "application/json" && (!given || strings.EqualFold(charset, "utf-8"))
}

// IdempotencyKey checks an Idempotency-Key header: 1 to 64 visible ASCII characters.
func IdempotencyKey(key string) error {
	if !visible.MatchString(key) {
		return Invalid("Idempotency-Key must be 1 to 64 visible ASCII characters")
	}
	return nil
}

// IsText tells whether a string is text PostgreSQL can store: UTF-8 (so no unpaired surrogate),
// without U+0000.
func IsText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// IsEmail is the contract's email shape: exactly one @, something before it, a dot after it.
// (Its length, at most 254 characters, is a max rule of its own.)
func IsEmail(s string) bool {
	local, domain, found := strings.Cut(s, "@")
	return found && local != "" && strings.Contains(domain, ".") && !strings.Contains(domain, "@")
}
