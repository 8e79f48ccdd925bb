// Simple dual-port RAM model: one synchronous write port, one synchronous read
// port with read enable (the read register holds when re_i is low). Reading
// and writing one address in the same cycle returns the old word. Maps to
// block RAM in FPGA flows and to an SRAM macro wrapper in ASIC flows; every
// memory of the design is an instance of it (manifest.json "memories").
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

  (* ram_style = RamStyle *) logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] rdata_q;

  // No reset on purpose: RAM contents are written by the host before use.
  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
    if (re_i) rdata_q <= mem_q[raddr_i];
  end

  assign rdata_o = rdata_q;
endmodule
