package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"bakeoff/gin/internal/input"
)

const (
	// maxBody is the largest body read: beyond it, 413.
	maxBody = 100 << 10
	// maxDepth is the deepest nesting of arrays and objects a body may have: beyond it, 400.
	maxDepth = 100
)

// jsonBody guards the routes that read a JSON body, in the contract's order: 413 for a body over
// maxBody (decided from Content-Length when it is given, else by stopping once the body passes
// it), then 415 unless the Content-Type says JSON. It keeps the body it read for
// ShouldBindBodyWith.
func jsonBody(c *gin.Context) {
	if c.Request.ContentLength > maxBody {
		_ = c.Error(&input.Fault{Status: http.StatusRequestEntityTooLarge, Message: "the body is over 100 KiB"})
		c.Abort()
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	body, err := c.GetRawData()
	if err != nil {
		_ = c.Error(input.BodyFault(err))
		c.Abort()
		return
	}
	if !input.JSONMediaType(c.GetHeader("Content-Type")) {
		_ = c.Error(&input.Fault{Status: http.StatusUnsupportedMediaType, Message: "send the body as application/json"})
		c.Abort()
		return
	}
	c.Set(gin.BodyBytesKey, body)
}

// strictJSON is binding.JSON decoding the body whole with json.Unmarshal, so the body must be
// exactly one JSON value: `{...} trailing` is malformed, where binding.JSON's json.Decoder would
// stop after the first value and accept it. It refuses a body nested deeper than maxDepth
// before decoding it.
type strictJSON struct{}

func (strictJSON) Name() string {
	return "json"
}

func (b strictJSON) Bind(req *http.Request, obj any) error {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return err
	}
	return b.BindBody(body, obj)
}

func (strictJSON) BindBody(body []byte, obj any) error {
	if tooDeep(body) {
		return input.Malformed("the body nests arrays and objects deeper than %d levels", maxDepth)
	}
	if err := json.Unmarshal(body, obj); err != nil {
		return err
	}
	return binding.Validator.ValidateStruct(obj)
}

// tooDeep tells whether a JSON text nests arrays and objects deeper than maxDepth. It walks the
// text with json.Decoder's tokens, which keep their own stack rather than recursing; brackets
// inside strings are string tokens. A malformed text is left for json.Unmarshal to refuse.
func tooDeep(body []byte) bool {
	tokens := json.NewDecoder(bytes.NewReader(body))
	depth := 0
	for {
		token, err := tokens.Token()
		if err != nil {
			return false
		}
		switch token {
		case json.Delim('['), json.Delim('{'):
			if depth++; depth > maxDepth {
				return true
			}
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
}

// bindBody binds and validates the body jsonBody read into obj; the error is the contract's
// refusal.
func bindBody(c *gin.Context, obj any) error {
	if err := c.ShouldBindBodyWith(obj, strictJSON{}); err != nil {
		return input.BodyFault(err)
	}
	return nil
}
