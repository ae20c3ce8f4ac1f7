package campaigns

import (
	"bytes"
	"encoding/json"
	"sync"

	"github.com/tdkt/tdkt/internal/review"
)

// campaignTemplates holds the campaigns' templates parsed. A campaign's template is
// the snapshot taken at its creation and is never changed, yet every action on a
// report read and parsed it up to three times (the API's campaign read, the Record
// transaction's lock of the report and of its parent's): in the national review the
// largest part of the worker's JSON decoding. The stored bytes are still read and
// compared at each use, so a template whose bytes differ is parsed anew: the cache
// can return only what parsing those bytes returns. The templates it returns are
// shared: read them, never change them.
var campaignTemplates = templateCache{m: map[string]cachedTemplate{}}

// maxCachedTemplates bounds the cache; when it is full it starts again empty.
const maxCachedTemplates = 256

type templateCache struct {
	mu sync.Mutex
	m  map[string]cachedTemplate
}

type cachedTemplate struct {
	raw []byte
	tpl review.Template
}

// parse returns campaign id's template stored as raw.
func (c *templateCache) parse(id string, raw []byte) (review.Template, error) {
	c.mu.Lock()
	got, ok := c.m[id]
	c.mu.Unlock()
	if ok && bytes.Equal(got.raw, raw) {
		return got.tpl, nil
	}
	var tpl review.Template
	if err := json.Unmarshal(raw, &tpl); err != nil {
		return tpl, err
	}
	c.mu.Lock()
	if len(c.m) >= maxCachedTemplates {
		c.m = map[string]cachedTemplate{}
	}
	c.m[id] = cachedTemplate{raw: bytes.Clone(raw), tpl: tpl}
	c.mu.Unlock()
	return tpl, nil
}
