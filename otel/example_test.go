package kycotel_test

import (
	"context"
	"fmt"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/kyc-go/kyc"
	kycotel "github.com/kyc-go/kyc/otel"
)

// An Observer built on your providers is passed to every vendor client with
// kyc.WithObserver; each call then yields a span per call and per attempt,
// and the http.client.request.duration and kyc.client.* metrics.
func ExampleNewObserver() {
	spans := tracetest.NewInMemoryExporter() // your exporter: OTLP, stdout, ...
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) }()

	obs, err := kycotel.NewObserver(kycotel.WithTracerProvider(tp), kycotel.WithMeterProvider(mp))
	if err != nil {
		fmt.Println(err)
		return
	}
	opt := kyc.WithObserver(obs) // pass to atlas.New, incode.New, ...
	fmt.Println(opt != nil)
	// Output: true
}
