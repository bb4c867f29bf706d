package api

import (
	"encoding/json"
	"errors"
	"mime"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
)

// newValidator is go-playground/validator as Fiber's validation guide sets it up, naming fields
// by their JSON names, with the contract's two rules of its own: `text` (UTF-8 without U+0000,
// nothing lost in decoding) and `checkout_email`.
func newValidator() (*validator.Validate, error) {
	validate := validator.New(validator.WithRequiredStructEnabled())
	validate.RegisterTagNameFunc(func(field reflect.StructField) string {
		return strings.SplitN(field.Tag.Get("json"), ",", 2)[0]
	})
	validate.RegisterCustomTypeFunc(textValue, text{})
	if err := validate.RegisterValidation("text", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
	}); err != nil {
		return nil, err
	}
	if err := validate.RegisterValidation("checkout_email", func(fl validator.FieldLevel) bool {
		local, domain, found := strings.Cut(fl.Field().String(), "@")
		return found && local != "" && strings.Contains(domain, ".") && !strings.Contains(domain, "@")
	}); err != nil {
		return nil, err
	}
	// A lossy email passes the field rules as its decoded string; it is refused here, after them.
	// (A lossy cart_id is no UUID.)
	validate.RegisterStructValidation(func(sl validator.StructLevel) {
		req := sl.Current().Interface().(checkoutRequest)
		if req.Email != nil && req.Email.lossy {
			sl.ReportError(req.Email, "email", "Email", "text", "")
		}
	}, checkoutRequest{})
	return validate, nil
}

// jsonOnly guards the routes that read a JSON body: 413 for a body over BodyLimit, then 415
// unless the Content-Type is application/json (any case) with no charset but UTF-8.
func jsonOnly(c *fiber.Ctx) error {
	if c.Context().UserValue(bodyTooLarge{}) != nil {
		return fiber.ErrRequestEntityTooLarge
	}
	mediaType, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		mediaType = ""
	}
	if charset, given := params["charset"]; mediaType != fiber.MIMEApplicationJSON || given && !strings.EqualFold(charset, "utf-8") {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "send the body as application/json")
	}
	return c.Next()
}

// parseBody parses the JSON body into obj with c.BodyParser (through decodeJSON) and validates
// it: 400 for a body that is not the JSON the route reads or lacks a field, 422 for a value the
// rules refuse.
func (h *handlers) parseBody(c *fiber.Ctx, obj any) error {
	if err := c.BodyParser(obj); err != nil {
		var refused *fiber.Error
		if errors.As(err, &refused) {
			return refused
		}
		return malformed("the body must be a JSON object with fields of the right types: %v", err)
	}
	var failed validator.ValidationErrors
	if err := h.validate.Struct(obj); errors.As(err, &failed) {
		for _, field := range failed {
			if field.Tag() == "required" {
				return malformed("%s is required and must not be null", field.Field())
			}
		}
		return invalid("%s", ruleBroken(failed[0]))
	} else if err != nil {
		return err
	}
	return nil
}

// ruleBroken says which rule a field broke, for people.
func ruleBroken(field validator.FieldError) string {
	name := field.Field()
	switch field.Tag() {
	case "min":
		return name + " must be at least " + field.Param()
	case "max":
		return name + " must be at most " + field.Param()
	case "text":
		return name + " must be UTF-8 text without U+0000"
	case "checkout_email":
		return name + " must have one @, a name before it and a dot after it"
	case "uuid_rfc4122":
		return name + " must be a UUID"
	}
	return name + " breaks the rule " + field.Tag()
}

// decodeJSON is the app's JSONDecoder: json.Unmarshal, after refusing a body nested deeper than
// maxDepth, and refusing anything after the one JSON value (json.Unmarshal does).
func decodeJSON(data []byte, v any) error {
	if nestedDeeper(data, maxDepth) {
		return malformed("the body nests arrays and objects deeper than %d levels", maxDepth)
	}
	return json.Unmarshal(data, v)
}

// nestedDeeper tells whether JSON text opens more than limit arrays and objects one inside the
// other. It counts brackets in one pass, skipping strings (and the escapes in them), where
// encoding/json would recurse; malformed text is left to json.Unmarshal.
func nestedDeeper(data []byte, limit int) bool {
	depth := 0
	inString, escaped := false, false
	for _, b := range data {
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = b == '\\'
			inString = b != '"'
		case b == '"':
			inString = true
		case b == '[' || b == '{':
			if depth++; depth > limit {
				return true
			}
		case b == ']' || b == '}':
			depth--
		}
	}
	return false
}
