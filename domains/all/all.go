// Package all imports every domain package, so that each registers itself.
package all

import ()
