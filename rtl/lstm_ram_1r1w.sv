// Simple dual-port RAM model: one synchronous write port, one synchronous read
// port with read enable (the read register holds when re_i is low). Maps to
// block RAM in FPGA flows and to an SRAM macro wrapper in ASIC flows; every
// memory of the design is an instance of it (manifest.json "memories").
//
// The design never reads and writes one address in the same cycle
// (assertion RamNoCollision: the buffers are double-buffered by step parity,
// the c buffer's read and write of a unit are cycles apart, the weight and
// bias memories are written while the core is idle). So the read-during-write
// result is left to the tool (Yosys `no_rw_check`), as an SRAM macro leaves it
// undefined: without it Yosys builds the "old word" behaviour in logic around
// every iCE40 block RAM (14 LUT4 and 27 flip-flops for 8 x 512 bits; issue 10,
// area). The simulation model still returns the old word.
`include "lstm_assert.svh"

module lstm_ram_1r1w #(
  parameter int Width = 16,
  parameter int Depth = 64,
  localparam int AddrW = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic             clk_i,
  input  logic             we_i,
  input  logic [AddrW-1:0] waddr_i,
  input  logic [Width-1:0] wdata_i,
  input  logic             re_i,
  input  logic [AddrW-1:0] raddr_i,
  output logic [Width-1:0] rdata_o
);
  // A memory of 1 kbit or more asks for block RAM (Vivado and Yosys read
  // ram_style; without it Yosys's synth_xilinx puts the 2-kbit weight RAMs of
  // configs/small.json in LUT RAM); a smaller one leaves the choice to the
  // tool ("auto": LUT RAM on Xilinx, still block RAM on iCE40, which has no
  // LUT RAM). A named localparam: Icarus takes no expression in an attribute.
  localparam int BlockRamMinBits = 1024;
  localparam RamStyle = (Width * Depth >= BlockRamMinBits) ? "block" : "auto";
  `LSTM_ASSERT_INIT(RamStyleBySize, (RamStyle == "block") == (Width * Depth >= BlockRamMinBits),
                    "lstm_ram_1r1w: ram_style is block exactly for memories of 1 kbit or more")

  (* ram_style = RamStyle, no_rw_check *) logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] rdata_q;

  // No reset on purpose: RAM contents are written by the host before use.
  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
    if (re_i) rdata_q <= mem_q[raddr_i];
  end

  assign rdata_o = rdata_q;

`ifndef SYNTHESIS
  // (`LSTM_ASSERT's form without a reset: the RAM has no reset port.)
  always @(posedge clk_i) begin : RamNoCollision
    if (we_i && re_i && waddr_i == raddr_i)
      $error("%s", "no cycle reads and writes the same RAM word (its read-during-write result is left to the tool)");
  end
`endif
endmodule
