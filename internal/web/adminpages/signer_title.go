package adminpages

import (
	"github.com/gin-gonic/gin"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/web"
)

// adminSetTitle sets the title a user signs decisions with (chair, vice-chair,
// acting chair), from the user's administration page.
func (s *server) adminSetTitle(c *gin.Context) {
	s.adminAction(c, "user_title_saved", nil, nil, func(id int64) error {
		return s.cfg.App.SetUserTitle(web.Ctx(c), web.UserID(c), id, c.PostForm("title"))
	})
}

// signerTitles are the choices of the title form, "" first.
func signerTitles() []string { return append([]string{""}, admin.SignerTitles...) }
