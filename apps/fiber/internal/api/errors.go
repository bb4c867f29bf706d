package api

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"bakeoff/fiber/internal/store"
)

// errorBody is the contract's body for every status from 400 on (RULES.md §2).
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code       string  `json:"code"`
	Message    string  `json:"message"`
	ProductIDs []int32 `json:"product_ids,omitempty"` // out_of_stock only
}

// codeOf is the code of a status whose error has none of its own.
func codeOf(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusRequestEntityTooLarge:
		return "payload_too_large"
	case fiber.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case fiber.StatusUnprocessableEntity:
		return "validation_failed"
	case fiber.StatusServiceUnavailable:
		return "unavailable"
	}
	if status < fiber.StatusInternalServerError {
		return "bad_request"
	}
	return "internal"
}

// A refusal of what the client sent is a *fiber.Error: Fiber's own (404, 405, 413) and these.
func malformed(format string, args ...any) *fiber.Error {
	return fiber.NewError(fiber.StatusBadRequest, fmt.Sprintf(format, args...))
}

func invalid(format string, args ...any) *fiber.Error {
	return fiber.NewError(fiber.StatusUnprocessableEntity, fmt.Sprintf(format, args...))
}

// renderError is the app's ErrorHandler: a *fiber.Error keeps its status, the store's outcomes
// get theirs, the database not answering is 503, and anything else is a 500 whose message stays
// in the access log.
func renderError(c *fiber.Ctx, err error) error {
	var refused *fiber.Error
	var short *store.OutOfStockError
	status, detail := fiber.StatusInternalServerError, errorDetail{Message: "internal error"}
	switch {
	case errors.As(err, &refused):
		status, detail.Message = refused.Code, refused.Message
	case errors.As(err, &short):
		status, detail = fiber.StatusConflict, errorDetail{Code: "out_of_stock", Message: short.Error(), ProductIDs: short.ProductIDs}
	case errors.Is(err, store.ErrCheckedOut):
		status, detail = fiber.StatusConflict, errorDetail{Code: "cart_checked_out", Message: err.Error()}
	case errors.Is(err, store.ErrNotFound):
		status, detail.Message = fiber.StatusNotFound, err.Error()
	case errors.Is(err, store.ErrLineLimit), errors.Is(err, store.ErrEmptyCart), errors.Is(err, store.ErrKeyReused):
		status, detail.Message = fiber.StatusUnprocessableEntity, err.Error()
	case store.Unavailable(err):
		status, detail.Message = fiber.StatusServiceUnavailable, err.Error()
	}
	if detail.Code == "" {
		detail.Code = codeOf(status)
	}
	return c.Status(status).JSON(errorBody{Error: detail})
}
