package api

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"bakeoff/gin/internal/input"
)

// maxBody is the largest body read: beyond it, 413.
const maxBody = 100 << 10

// jsonOnly guards the routes that read a JSON body: 415 unless the Content-Type says JSON, and
// a body limited to maxBody.
func jsonOnly(c *gin.Context) {
	if !input.JSONMediaType(c.GetHeader("Content-Type")) {
		_ = c.Error(&input.Fault{Status: http.StatusUnsupportedMediaType, Message: "send the body as application/json"})
		c.Abort()
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
}

// strictJSON is binding.JSON reading the body whole with json.Unmarshal, so the body must be
// exactly one JSON value: `{...} trailing` is malformed, where binding.JSON's json.Decoder would
// stop after the first value and accept it.
type strictJSON struct{}

func (strictJSON) Name() string {
	return "json"
}

func (strictJSON) Bind(req *http.Request, obj any) error {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, obj); err != nil {
		return err
	}
	return binding.Validator.ValidateStruct(obj)
}

// bindBody binds and validates the request body into obj; the error is the contract's refusal.
func bindBody(c *gin.Context, obj any) error {
	if err := c.ShouldBindWith(obj, strictJSON{}); err != nil {
		return input.BodyFault(err)
	}
	return nil
}
