package simulate

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// WriteCSV writes one row per step: step, calls, kept_groups, success_rate, mean_reward,
// mean_cost, mean_latency, then share:<alias> for each tool and policy:<alias> for each tool.
func WriteCSV(w io.Writer, res Result) error {
	cw := csv.NewWriter(w)
	header := []string{"step", "calls", "kept_groups", "success_rate", "mean_reward", "mean_cost", "mean_latency"}
	for _, a := range res.Aliases {
		header = append(header, "share:"+a)
	}
	for _, a := range res.Aliases {
		header = append(header, "policy:"+a)
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write simulation table: %w", err)
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }
	for _, s := range res.Steps {
		row := []string{strconv.Itoa(s.Step), strconv.Itoa(s.Calls), strconv.Itoa(s.KeptGroups),
			f(s.SuccessRate), f(s.MeanReward), f(s.MeanCost), f(s.MeanLatency)}
		for _, x := range s.Shares {
			row = append(row, f(x))
		}
		for _, x := range s.Policy {
			row = append(row, f(x))
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write simulation table: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write simulation table: %w", err)
	}
	return nil
}

// Plot draws each tool's share of tool calls over the steps.
func Plot(res Result, title string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "step"
	p.Y.Label.Text = "share of tool calls"
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Top, p.Legend.Left = true, true // every run starts near 1/n: the top left is free
	p.Legend.XOffs = vg.Points(12)
	var lines []any
	for t, alias := range res.Aliases {
		xys := make(plotter.XYs, len(res.Steps))
		for i, s := range res.Steps {
			xys[i] = plotter.XY{X: float64(s.Step), Y: s.Shares[t]}
		}
		lines = append(lines, alias, xys)
	}
	if err := plotutil.AddLines(p, lines...); err != nil {
		return nil, fmt.Errorf("plot tool shares: %w", err)
	}
	return p, nil
}

// WritePNG writes Plot(res, title) as a 8×5 inch PNG.
func WritePNG(w io.Writer, res Result, title string) error {
	p, err := Plot(res, title)
	if err != nil {
		return err
	}
	wt, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, "png")
	if err != nil {
		return fmt.Errorf("render tool shares: %w", err)
	}
	if _, err := wt.WriteTo(w); err != nil {
		return fmt.Errorf("write tool shares plot: %w", err)
	}
	return nil
}

// Title describes a preference for the plot, e.g. "tool-call shares, preference accuracy=1 cost=0.5".
func Title(pref map[string]float64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(pref)) {
		parts = append(parts, k+"="+strconv.FormatFloat(pref[k], 'g', -1, 64))
	}
	return "tool-call shares, preference " + strings.Join(parts, " ")
}

// Run simulates cfg and writes the table of steps to table as CSV and, when png is not nil, the
// plot of tool-call shares to png. It is `toolscale train simulate`.
func Run(ctx context.Context, cfg Config, table, png io.Writer) error {
	res, err := Simulate(ctx, cfg)
	if err != nil {
		return err
	}
	if err := WriteCSV(table, res); err != nil {
		return err
	}
	if png != nil {
		return WritePNG(png, res, Title(cfg.Preference))
	}
	return nil
}
