package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// notifications lists the user's in-app notifications; ?unread=1 narrows them.
func (s *Server) notifications(c *gin.Context) {
	ns, err := s.App.Notifications(ctx(c), userID(c), c.Query("unread") == "1" || c.Query("unread") == "true")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"notifications": ns})
}

type markReadRequest struct {
	IDs []int64 `json:"ids"` // empty: all
}

// markNotificationsRead marks the given (or all) notifications of the user read.
func (s *Server) markNotificationsRead(c *gin.Context) {
	var req markReadRequest
	if c.Request.ContentLength != 0 {
		if err := decode(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	n, err := s.App.MarkNotificationsRead(ctx(c), userID(c), req.IDs)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"marked": n})
}
