#!/usr/bin/env python3
"""Writes lstm_impl_shell, the narrow wrapper tools/impl.sh places instead of lstm_top.

Usage: impl_shell.py MANIFEST OUT.sv

lstm_top has more ports than an iCE40 package has pins (a 2-core design needs
about 200). The shell keeps every port of the top alive through five pins:
  clk_i, rst_ni   the top's clock and reset, straight through
  scan_in_i       shifted into a register chain that drives every other input
  capture_i       loads every output of the top into a second register chain ...
  scan_out_o      ... which shifts out here
Both chains are registers, so every path through the shell starts and ends at a
flip-flop: the timing nextpnr reports is the design's, not the pins'. Nothing of
the top can be optimized away, because every output bit reaches scan_out_o.
The shell costs one flip-flop per input and output bit of the top; impl.sh
reports that count next to the utilization.

Ports the design ignores are left out of the chains: without the row loader
(config features.row_loader false) the row stream's inputs are tied to 0 and
its ready, a constant 0, is left unconnected (they would cost 34 flip-flops
on a 1-lane design and add nothing to time).

The port list comes from MANIFEST (manifest.json of an lstmgen output folder),
so the shell follows any config. It is an implementation-flow fixture, not part
of the design; it is written next to the flow's other outputs.
"""
import json
import sys


# lstm_top's weight/bias row stream (lstm_wload), ignored without the row loader.
ROW_STREAM = {"wl_valid_i", "wl_ready_o", "wl_data_i"}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: impl_shell.py MANIFEST OUT.sv")
    manifest_path, out_path = sys.argv[1:]
    with open(manifest_path) as f:
        manifest = json.load(f)
    top = manifest["top"]
    features = manifest.get("config", {}).get("features", {})
    unused = set() if features.get("row_loader", True) else ROW_STREAM
    ports = [p for p in manifest["ports"] if p["name"] not in {"clk_i", "rst_ni"} | unused]
    tied = [p for p in manifest["ports"] if p["name"] in unused]
    inputs = [p for p in ports if p["direction"] == "input"]
    outputs = [p for p in ports if p["direction"] == "output"]
    in_w = sum(p["width"] for p in inputs)
    out_w = sum(p["width"] for p in outputs)
    if in_w < 2 or out_w < 2:
        sys.exit(f"{manifest_path}: expected a top with at least two input and two output bits")

    def slices(group):
        lo, out = 0, []
        for p in group:
            out.append((p["name"], f"[{lo + p['width'] - 1}:{lo}]"))
            lo += p["width"]
        return out

    conns = ["    .clk_i,", "    .rst_ni,"]
    conns += [f"    .{n}(in_q{s})," for n, s in slices(inputs)]
    conns += [f"    .{n}(top_out{s})," for n, s in slices(outputs)]
    conns += [f"    .{p['name']}({'' if p['direction'] == 'output' else chr(39) + '0'})," for p in tied]
    conns[-1] = conns[-1].rstrip(",")
    text = f"""// lstm_impl_shell: written by tools/impl_shell.py from {manifest_path.split('/')[-1]}
// ({top}, config hash {manifest.get("config_hash", "?")}). A place-and-route fixture:
// every input of {top} comes from a scan register chain, every output goes
// into one, so the design fits a package's pins and nothing is optimized away.
module lstm_impl_shell (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic scan_in_i,
  input  logic capture_i,
  output logic scan_out_o
);
  localparam int InW = {in_w};
  localparam int OutW = {out_w};
  logic [InW-1:0] in_q;
  logic [OutW-1:0] top_out, out_q;

  always_ff @(posedge clk_i) begin
    in_q <= {{in_q[InW-2:0], scan_in_i}};
    out_q <= capture_i ? top_out : {{out_q[OutW-2:0], 1'b0}};
  end

  {top} u_top (
{chr(10).join(conns)}
  );

  assign scan_out_o = out_q[OutW-1];
endmodule
"""
    with open(out_path, "w") as f:
        f.write(text)
    print(in_w + out_w)


if __name__ == "__main__":
    main()
