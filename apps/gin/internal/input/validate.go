package input

import (
	"errors"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

// Configure readies a validator for the request types: fields are named by their JSON names,
// and the tags `text` (IsText) and `checkout_email` (IsEmail) mean the contract's rules.
func Configure(v *validator.Validate) error {
	v.RegisterTagNameFunc(func(field reflect.StructField) string {
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		return name
	})
	rules := map[string]func(string) bool{"text": IsText, "checkout_email": IsEmail}
	for tag, rule := range rules {
		err := v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return rule(fl.Field().String()) })
		if err != nil {
			return err
		}
	}
	return nil
}

// BodyFault turns what decoding and validating a body returned into the contract's refusal:
// 413 for a body over the limit, 400 for JSON that is malformed or of the wrong types and for
// a missing or null field, 422 for a value out of its range or shape. Anything else is returned
// as it is: a fault of the app.
func BodyFault(err error) error {
	var refused *Fault
	var tooLarge *http.MaxBytesError
	var invalid validator.ValidationErrors
	var misuse *validator.InvalidValidationError
	switch {
	case errors.As(err, &refused):
		return refused
	case errors.As(err, &tooLarge):
		return &Fault{Status: 413, Message: "the body is over 100 KiB"}
	case errors.As(err, &misuse):
		return err
	case errors.As(err, &invalid):
		for _, field := range invalid {
			if field.Tag() == "required" {
				return Malformed("%s is required and must not be null", field.Field())
			}
		}
		return Invalid("%s", describe(invalid[0]))
	}
	return Malformed("the body must be a JSON object with fields of the right types: %v", err)
}

// describe says which rule a field broke, for people.
func describe(field validator.FieldError) string {
	switch field.Tag() {
	case "min":
		return field.Field() + " must be at least " + field.Param()
	case "max":
		return field.Field() + " must be at most " + field.Param()
	case "text":
		return field.Field() + " must be UTF-8 text without U+0000"
	case "checkout_email":
		return field.Field() + " must have one @, a name before it and a dot after it"
	case "uuid_rfc4122":
		return field.Field() + " must be a UUID"
	}
	return field.Field() + " is not allowed (" + field.Tag() + ")"
}
