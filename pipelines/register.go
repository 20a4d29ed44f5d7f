package pipelines

import (
	"context"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/toolscale/toolscale/dataset"
)

// init registers every DoFn, function, element type, emitter and iterator of the pipeline,
// so that workers started from this binary find them by name.
func init() {
	for _, t := range []any{WorkItem{}, VerifiedTask{}, GTRef{}, Segment{}, Part{}, Count{}, EnvItem{},
		dataset.Rejected{}, dataset.File{}} {
		beam.RegisterType(reflect.TypeOf(t))
	}

	register.DoFn6x1[context.Context, WorkItem, func(VerifiedTask), func(dataset.Rejected), func(string, []byte), func(Part), error](&synthesizeFn{})
	register.DoFn4x1[context.Context, VerifiedTask, func(string, []byte), func(dataset.Rejected), error](&configureFn{})
	register.DoFn3x1[context.Context, dataset.Rejected, func(string, []byte), error](&rejectedLineFn{})
	register.DoFn4x1[context.Context, string, []byte, func(Segment), error](&spillFn{})
	register.DoFn2x0[Segment, func(string, Segment)](&selectPartFn{})
	register.DoFn5x1[context.Context, string, func(*Segment) bool, func(string, []byte), func(dataset.Rejected), error](&dedupFn{})
	register.DoFn4x1[context.Context, int, func(*Segment) bool, func(Part), error](&writeShardFn{})
	register.DoFn4x1[context.Context, EnvItem, func(*Part) bool, func(Part), error](&writeEnvFn{})
	register.DoFn4x1[context.Context, int, func(*Part) bool, func(Part), error](&writeTasksFn{})
	register.DoFn4x1[context.Context, int, func(*Part) bool, func(string), error](&writeManifestFn{})
	register.DoFn5x1[context.Context, fileio.ReadableFile, func(string, []byte), func(dataset.Rejected), func(Part), error](&readGTFn{})
	register.DoFn6x1[context.Context, string, func(*Segment) bool, func(string, []byte), func(dataset.Rejected), func(GTRef), error](&gtPassFn{})
	register.DoFn4x1[GTRef, func(string, []byte), func(dataset.Rejected), func(GTRef), error](&shareFn{})
	register.DoFn6x1[context.Context, string, func(*Segment) bool, []string, func(string, []byte), func(dataset.Rejected), error](&capFn{})

	register.Function2x1(shardOfSegmentFn)
	register.Function1x2(keyZeroFn)
	register.Function1x1(refIDFn)
	register.Function2x1(lessString)

	register.Emitter1[VerifiedTask]()
	register.Emitter1[dataset.Rejected]()
	register.Emitter1[Part]()
	register.Emitter2[string, []byte]()
	register.Emitter1[Segment]()
	register.Emitter2[string, Segment]()
	register.Emitter2[int, Segment]()
	register.Emitter1[string]()
	register.Emitter1[GTRef]()

	register.Iter1[Segment]()
	register.Iter1[Part]()
}
