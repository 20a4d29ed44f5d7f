// Package all imports every domain package, so that each registers itself. Import it for
// its side effect: _ "github.com/toolscale/toolscale/domains/all".
package all

import (
	_ "github.com/toolscale/toolscale/domains/bank"
	_ "github.com/toolscale/toolscale/domains/basketball"
	_ "github.com/toolscale/toolscale/domains/ecommerce"
	_ "github.com/toolscale/toolscale/domains/medicine"
	_ "github.com/toolscale/toolscale/domains/movie"
	_ "github.com/toolscale/toolscale/domains/railway"
	_ "github.com/toolscale/toolscale/domains/restaurant"
	_ "github.com/toolscale/toolscale/domains/school"
	_ "github.com/toolscale/toolscale/domains/travel"
	_ "github.com/toolscale/toolscale/domains/weather"
)
