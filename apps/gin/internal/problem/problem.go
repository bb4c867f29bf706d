// Package problem turns whatever a handler fails with into the contract's status and error body
// (RULES.md §2): {"error": {"code": ..., "message": ...}}.
package problem

import (
	"errors"
	"net/http"

	"bakeoff/gin/internal/input"
	"bakeoff/gin/internal/store"
)

// Body is the error body of every status ≥ 400.
type Body struct {
	Error Detail `json:"error"`
}

// Detail is the inside of Body. ProductIDs comes only with out_of_stock.
type Detail struct {
	Code       string  `json:"code"`
	Message    string  `json:"message"`
	ProductIDs []int32 `json:"product_ids,omitempty"`
}

var codes = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "payload_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusUnprocessableEntity:   "validation_failed",
	http.StatusInternalServerError:   "internal",
	http.StatusServiceUnavailable:    "unavailable",
}

// New is the body for a status and a message, with the status's code (for a status the
// contract does not list, bad_request below 500, internal from 500 on).
func New(status int, message string) Body {
	code, listed := codes[status]
	switch {
	case !listed && status < 500:
		code = "bad_request"
	case !listed:
		code = "internal"
	}
	return Body{Error: Detail{Code: code, Message: message}}
}

// From maps an error to its status and body; an error that is none of the contract's is a 500
// (the access log reports it).
func From(err error) (int, Body) {
	var fault *input.Fault
	var short *store.OutOfStockError
	switch {
	case errors.As(err, &fault):
		return fault.Status, New(fault.Status, fault.Message)
	case errors.As(err, &short):
		body := Body{Error: Detail{Code: "out_of_stock", Message: short.Error(), ProductIDs: short.ProductIDs}}
		return http.StatusConflict, body
	case errors.Is(err, store.ErrCheckedOut):
		return http.StatusConflict, Body{Error: Detail{Code: "cart_checked_out", Message: err.Error()}}
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, New(http.StatusNotFound, err.Error())
	case errors.Is(err, store.ErrLineLimit), errors.Is(err, store.ErrEmptyCart), errors.Is(err, store.ErrKeyReused):
		return http.StatusUnprocessableEntity, New(http.StatusUnprocessableEntity, err.Error())
	case store.Unavailable(err):
		return http.StatusServiceUnavailable, New(http.StatusServiceUnavailable, err.Error())
	}
	return http.StatusInternalServerError, New(http.StatusInternalServerError, "internal error")
}
