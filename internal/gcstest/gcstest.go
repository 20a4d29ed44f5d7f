// Package gcstest starts an in-process fake-gcs-server for tests and points the GCS client
// at it, as a user points it at an emulator: through STORAGE_EMULATOR_HOST.
package gcstest

import (
	"net/url"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// Start starts a server holding the given empty buckets, sets STORAGE_EMULATOR_HOST to it
// for the rest of the test, and stops it when the test ends.
func Start(t testing.TB, buckets ...string) *fakestorage.Server {
	t.Helper()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	for _, b := range buckets {
		srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: b})
	}
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("STORAGE_EMULATOR_HOST", u.Host)
	return srv
}
