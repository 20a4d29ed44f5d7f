package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/toolscale/toolscale/domains"
)

type domainInfo struct {
	Name   string     `json:"name"`
	Tables []string   `json:"tables"` // in db.json order
	Tools  []toolInfo `json:"tools"`
}

type toolInfo struct {
	Name       string          `json:"name"`
	Kind       domains.Kind    `json:"kind"`
	Parameters json.RawMessage `json:"parameters"`
}

func newDomainsCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "domains",
		Short: "List the domains with their tables and tools",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			infos, err := describeDomains()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if v.GetBool("json") {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(infos)
			}
			w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "DOMAIN\tTABLES\tTOOLS (READ/WRITE/GENERIC)")
			for _, d := range infos {
				kinds := map[domains.Kind]int{}
				for _, t := range d.Tools {
					kinds[t.Kind]++
				}
				fmt.Fprintf(w, "%s\t%s\t%d (%d/%d/%d)\n", d.Name, strings.Join(d.Tables, ", "), len(d.Tools),
					kinds[domains.Read], kinds[domains.Write], kinds[domains.Generic])
			}
			return w.Flush()
		},
	}
	cmd.Flags().Bool("json", false, "print JSON: each domain with its tables and tools (name, kind, parameter schema)")
	return cmd
}

func describeDomains() ([]domainInfo, error) {
	var infos []domainInfo
	for _, name := range domains.Names() {
		d, err := domains.Lookup(name)
		if err != nil {
			return nil, err
		}
		info := domainInfo{Name: name, Tables: d.TableNames()}
		for _, t := range d.Tools {
			s, err := t.Schema()
			if err != nil {
				return nil, err
			}
			raw, err := json.Marshal(s)
			if err != nil {
				return nil, err
			}
			info.Tools = append(info.Tools, toolInfo{Name: t.Name, Kind: t.Kind, Parameters: raw})
		}
		infos = append(infos, info)
	}
	return infos, nil
}
