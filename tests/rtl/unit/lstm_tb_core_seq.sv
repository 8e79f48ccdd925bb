// lstm_tb_core_seq: self-checking unit testbench of lstm_core_seq, the core
// sequencer (Icarus; tests/rtl/unit/README.md says how to run it).
//
// The testbench plays the rest of the core: an x writer that fills the x
// buffer at a random rate (two steps ahead at most), a post unit and h network
// that complete each layer-step a random number of cycles after its last
// element issued, a shadow register the post unit frees a few cycles after a
// group's sums arrive, and an output streamer. For each program it checks:
// - the issued elements are exactly the loop nest of docs/architecture.md
//   (steps, layers, groups, the two parts in their order, elements), with the
//   right weight, bias, x and h addresses, flags and group metadata;
// - an element issues only when its operand is ready (table 2.4 of
//   docs/architecture.md), a group's last element only with a free shadow,
//   and with OUT_WAIT a last-layer group only once its h half was sent;
// - with an environment that is always ready, there is no bubble at all;
// - the run ends in Done after the drain; a bad program ends in Error with
//   the right code and layer, and issues nothing.
// Prints "PASS" or one "FAIL: ..." line per problem, then finishes.
module lstm_tb_core_seq;
  localparam int Lanes = lstm_pkg::Lanes;
  localparam int MaxLayers = lstm_pkg::MaxLayers;
  localparam int VecW = lstm_pkg::VecW;
  localparam int XAddrW = lstm_pkg::XAddrW;
  localparam int HAddrW = lstm_pkg::HAddrW;
  localparam int WAddrW = lstm_pkg::WAddrW;
  localparam int BAddrW = lstm_pkg::BAddrW;
  localparam int MetaW = lstm_pkg::MetaW;
  localparam int LayerW = lstm_pkg::LayerW;
  localparam int UnitW = lstm_pkg::UnitW;
  localparam int LaneCntW = lstm_pkg::LaneCntW;
  localparam int CodeW = lstm_pkg::StatusCodeW;
  localparam int ErrLayerW = lstm_pkg::StatusLayerW;
  localparam int MaxElems = 8192;
  localparam int NumLayersRegW = lstm_pkg::NumLayersRegW;
  localparam int NumStepsRegW = lstm_pkg::NumStepsRegW;
  localparam int StepW = lstm_pkg::StepW;
  localparam int InSizeRegW = lstm_pkg::InSizeRegW;
  localparam int HiddenRegW = lstm_pkg::HiddenRegW;
  localparam int WBaseRegW = lstm_pkg::WBaseRegW;
  localparam int BBaseRegW = lstm_pkg::BBaseRegW;

  logic clk_i = 1'b0;
  logic rst_ni = 1'b0;
  logic start_i = 1'b0;
  logic [NumLayersRegW-1:0] num_layers_i = '0;
  logic [NumStepsRegW-1:0] num_steps_i = '0;
  logic out_wait_i = 1'b0, out_en_i = 1'b0, out_done_own_i = 1'b1;
  // Every program starts from zero state in half t mod 2 (FLAGS.STATE_IN and
  // H_HALF clear); the rtl state tests cover the other settings.
  logic state_in_i = 1'b0, h_half_i = 1'b0, gru_i = 1'b0;
  logic [MaxLayers*InSizeRegW-1:0] in_size_i = '0;
  logic [MaxLayers*HiddenRegW-1:0] hidden_i = '0, unit_lo_i = '0, unit_cnt_i = '0;
  logic [MaxLayers*WBaseRegW-1:0] wbase_i = '0;
  logic [MaxLayers*BBaseRegW-1:0] bbase_i = '0;
  logic [31:0] hdone_i = '0, out_done_i = '0;
  logic [StepW-1:0] x_wr_step_i = '0;
  logic [VecW-1:0] x_wr_cnt_i = '0;
  logic shadow_free_i = 1'b1, tail_idle_i = 1'b1;
  // Batching's inputs (a design without features.batch: Batch = 0, unused).
  logic [InSizeRegW-1:0] x_len_i = '0;
  logic [MaxLayers*InSizeRegW-1:0] xoff_i = '0;
  logic [MaxLayers*32-1:0] lflags_i = '0;
  logic iss_valid_o, iss_first_o, iss_last_o, iss_zero_o, iss_src_h_o, iss_fold_o, iss_zero_x_o;
  logic [XAddrW-1:0] x_raddr_o;
  logic [HAddrW-1:0] h_raddr_o;
  logic [WAddrW-1:0] w_raddr_o;
  logic [BAddrW-1:0] b_raddr_o;
  logic [MetaW-1:0] iss_meta_o;
  logic running_o, busy_o, done_o, error_o, stall_dep_o, stall_other_o;
  logic [StepW-1:0] x_consumed_o, steps_o;
  logic [LayerW-1:0] last_layer_o;
  logic [CodeW-1:0] err_code_o;
  logic [ErrLayerW-1:0] err_layer_o;

  lstm_core_seq u_dut (.*);

  always #5 clk_i = ~clk_i;

  int errors = 0;
  task automatic fail(input string what);
    errors++;
    if (errors <= 12) $display("FAIL: %s (time %0t)", what, $time);
  endtask

  logic [31:0] rng = 32'h9e3779b9;
  function automatic logic [31:0] next(input logic [31:0] x);
    logic [31:0] y;
    y = x ^ (x << 13);
    y = y ^ (y >> 17);
    next = y ^ (y << 5);
  endfunction
  function automatic logic chance(input int sixteenths);  // true with probability n/16
    rng = next(rng);
    chance = {1'b0, rng[3:0]} < 5'(sixteenths);
  endfunction

  // ------------------------------------------------------------- the program
  int n_layers, n_steps;
  int in_size [MaxLayers];
  int hidden [MaxLayers];
  int unit_lo [MaxLayers];
  int unit_cnt [MaxLayers];
  int wbase [MaxLayers];
  int bbase [MaxLayers];

  // What lstm_core_regs holds for a value written to a register of w bits:
  // the value, or all ones when it does not fit.
  function automatic logic [31:0] held(input int v, input int w);
    held = ((32'(v) >> w) != 32'd0) ? (32'd1 << w) - 32'd1 : 32'(v);
  endfunction
  task automatic load_program;
    num_layers_i = NumLayersRegW'(held(n_layers, NumLayersRegW));
    num_steps_i = NumStepsRegW'(held(n_steps, NumStepsRegW));
    for (int l = 0; l < MaxLayers; l++) begin
      in_size_i[InSizeRegW*l +: InSizeRegW] = InSizeRegW'(held(in_size[l], InSizeRegW));
      hidden_i[HiddenRegW*l +: HiddenRegW] = HiddenRegW'(held(hidden[l], HiddenRegW));
      unit_lo_i[HiddenRegW*l +: HiddenRegW] = HiddenRegW'(held(unit_lo[l], HiddenRegW));
      unit_cnt_i[HiddenRegW*l +: HiddenRegW] = HiddenRegW'(held(unit_cnt[l], HiddenRegW));
      wbase_i[WBaseRegW*l +: WBaseRegW] = WBaseRegW'(held(wbase[l], WBaseRegW));
      bbase_i[BBaseRegW*l +: BBaseRegW] = BBaseRegW'(held(bbase[l], BBaseRegW));
    end
  endtask

  // A valid program: layer l has X = in_size, H = hidden; weights packed one
  // layer after another, biases too.
  task automatic chain(input int layers, input int steps, input int x0, input int h0,
                       input int h1, input int h2);
    int w, b, groups;
    n_layers = layers;
    n_steps = steps;
    w = 3;  // not 0: the base must be added
    b = 1;
    for (int l = 0; l < MaxLayers; l++) begin
      hidden[l] = (l == 0) ? h0 : (l == 1) ? h1 : h2;
      in_size[l] = (l == 0) ? x0 : hidden[l-1];
      unit_lo[l] = 0;
      unit_cnt[l] = hidden[l];
      wbase[l] = w;
      bbase[l] = b;
      groups = (unit_cnt[l] + Lanes - 1) / Lanes;
      w += groups * (in_size[l] + hidden[l]);
      b += groups;
    end
  endtask

  // -------------------------------------------------------- expected issues
  // One entry per element, in issue order: what the loop nest says.
  logic [WAddrW-1:0] e_w [MaxElems];
  logic [BAddrW-1:0] e_b [MaxElems];
  logic [XAddrW-1:0] e_x [MaxElems];
  logic [HAddrW-1:0] e_h [MaxElems];
  logic [MetaW-1:0] e_meta [MaxElems];
  logic e_first [MaxElems];
  logic e_last [MaxElems];
  logic e_zero [MaxElems];
  logic e_src_h [MaxElems];
  int e_t [MaxElems];
  int e_l [MaxElems];
  int e_j [MaxElems];
  logic e_rec [MaxElems];
  logic e_k_end [MaxElems];  // the element completes layer-step t * L + l
  int n_expected;

  task automatic expect_nest;
    int groups, lanes, len, col;
    logic rec;
    n_expected = 0;
    for (int t = 0; t < n_steps; t++)
      for (int l = 0; l < n_layers; l++) begin
        groups = (unit_cnt[l] + Lanes - 1) / Lanes;
        for (int g = 0; g < groups; g++)
          for (int part = 0; part < 2; part++) begin
            // Layer 0 streams x first; later layers their recurrent part first.
            rec = (l == 0) ? (part == 1) : (part == 0);
            len = rec ? hidden[l] : in_size[l];
            for (int j = 0; j < len; j++) begin
              col = rec ? in_size[l] + j : j;
              lanes = (unit_cnt[l] - g * Lanes < Lanes) ? unit_cnt[l] - g * Lanes : Lanes;
              e_w[n_expected] = WAddrW'(wbase[l] + g * (in_size[l] + hidden[l]) + col);
              e_b[n_expected] = BAddrW'(bbase[l] + g);
              e_x[n_expected] = lstm_pkg::x_addr(t[0], VecW'(j));
              e_h[n_expected] = rec ? lstm_pkg::h_addr(LayerW'(l), !t[0], VecW'(j))
                                    : lstm_pkg::h_addr(LayerW'(l - 1), t[0], VecW'(j));
              e_meta[n_expected] = {LayerW'(l), t[0], UnitW'(unit_lo[l] + g * Lanes),
                                    LaneCntW'(lanes), g == groups - 1, t == 0};
              e_first[n_expected] = (part == 0 && j == 0);
              e_last[n_expected] = (part == 1 && j == len - 1);
              e_zero[n_expected] = rec && t == 0;
              e_src_h[n_expected] = !(l == 0 && !rec);
              e_t[n_expected] = t;
              e_l[n_expected] = l;
              e_j[n_expected] = j;
              e_rec[n_expected] = rec;
              e_k_end[n_expected] = (g == groups - 1) && part == 1 && j == len - 1;
              n_expected++;
            end
          end
      end
  endtask

  // ------------------------------------------------------ the environment
  // Registered like the real core's: everything below changes at a rising
  // edge, from what issued in the cycle before it.
  int x_rate, h_lat_max, shadow_busy_max, out_lat_max;  // environment speed
  int cycle;
  int issued, issued_k;
  int k_done_at [MaxElems];   // cycle at which layer-step k is complete
  int shadow_busy;            // cycles until the post unit frees the shadow
  int out_busy;
  int first_issue, last_issue;
  logic watching;

  always @(posedge clk_i) begin
    cycle <= cycle + 1;
    if (rst_ni && watching) begin
      if (iss_valid_o) check_issue();
      // x writer: one element per cycle at most, two steps ahead at most.
      if (x_wr_step_i < num_steps_i && x_wr_step_i < x_consumed_o + 32'd2 && chance(x_rate)) begin
        if (32'(x_wr_cnt_i) == 32'(in_size[0] - 1)) begin
          x_wr_cnt_i <= '0;
          x_wr_step_i <= x_wr_step_i + StepW'(1);
        end else begin
          x_wr_cnt_i <= x_wr_cnt_i + VecW'(1);
        end
      end
      // Post unit and h network: layer-steps complete in order.
      if (hdone_i < 32'(issued_k) && cycle >= k_done_at[hdone_i]) hdone_i <= hdone_i + 32'd1;
      // Shadow: taken a few cycles after a group's last element issued.
      if (iss_valid_o && iss_last_o) begin
        shadow_free_i <= 1'b0;
        rng = next(rng);
        shadow_busy <= 1 + 32'(rng[7:0]) % shadow_busy_max;
      end else if (shadow_busy > 0) begin
        shadow_busy <= shadow_busy - 1;
        if (shadow_busy == 1) shadow_free_i <= 1'b1;
      end
      // Output streamer: sends step out_done once its last layer completed.
      if (out_busy > 0) begin
        out_busy <= out_busy - 1;
        if (out_busy == 1) out_done_i <= out_done_i + 32'd1;
      end else if (out_en_i && out_done_i < num_steps_i
                   && hdone_i >= (out_done_i + 32'd1) * 32'(num_layers_i)) begin
        rng = next(rng);
        out_busy <= 1 + 32'(rng[7:0]) % out_lat_max;
      end
      tail_idle_i <= (hdone_i == 32'(issued_k)) && shadow_free_i && out_busy == 0;
    end
  end

  task automatic check_issue;
    int n, k;
    n = issued;
    if (n >= n_expected) begin
      fail("an element issued after the loop nest ended");
    end else begin
      if (w_raddr_o !== e_w[n] || b_raddr_o !== e_b[n] || iss_meta_o !== e_meta[n]
          || iss_first_o !== e_first[n] || iss_last_o !== e_last[n] || iss_zero_o !== e_zero[n]
          || iss_src_h_o !== e_src_h[n])
        fail($sformatf("element %0d (t %0d l %0d j %0d): w %0d b %0d meta %h flags %b%b%b%b, expected w %0d b %0d meta %h flags %b%b%b%b",
                       n, e_t[n], e_l[n], e_j[n], w_raddr_o, b_raddr_o, iss_meta_o, iss_first_o,
                       iss_last_o, iss_zero_o, iss_src_h_o, e_w[n], e_b[n], e_meta[n], e_first[n],
                       e_last[n], e_zero[n], e_src_h[n]));
      if (!e_src_h[n] && x_raddr_o !== e_x[n])
        fail($sformatf("element %0d: x address %0d, expected %0d", n, x_raddr_o, e_x[n]));
      if (e_src_h[n] && !e_zero[n] && h_raddr_o !== e_h[n])
        fail($sformatf("element %0d: h address %0d, expected %0d", n, h_raddr_o, e_h[n]));
      // Readiness, from the documented table.
      k = e_t[n] * n_layers + e_l[n];
      if (!e_src_h[n] && !(x_wr_step_i > 32'(e_t[n])
                           || (x_wr_step_i == 32'(e_t[n]) && 32'(x_wr_cnt_i) > 32'(e_j[n]))))
        fail($sformatf("element %0d: x of step %0d read before it was written", n, e_t[n]));
      if (e_src_h[n] && !e_rec[n] && hdone_i < 32'(k))
        fail($sformatf("element %0d: input h read with hdone %0d < %0d", n, hdone_i, k));
      if (e_rec[n] && !e_zero[n] && hdone_i < 32'(k - n_layers + 1))
        fail($sformatf("element %0d: recurrent h read with hdone %0d < %0d", n, hdone_i,
                       k - n_layers + 1));
      if (e_last[n] && !shadow_free_i) fail($sformatf("element %0d: last element with a busy shadow", n));
      if (out_wait_i && e_first[n] && e_l[n] == n_layers - 1 && e_t[n] >= 2
          && out_done_i < 32'(e_t[n] - 1))
        fail($sformatf("element %0d: step %0d overwrites an h half not sent yet", n, e_t[n]));
      if (e_k_end[n]) begin
        rng = next(rng);
        k_done_at[issued_k] = cycle + 2 + 32'(rng[7:0]) % h_lat_max;
        if (issued_k > 0 && k_done_at[issued_k] < k_done_at[issued_k - 1])
          k_done_at[issued_k] = k_done_at[issued_k - 1];
        issued_k++;
      end
    end
    if (issued == 0) first_issue = cycle;
    last_issue = cycle;
    issued++;
  endtask

  // ------------------------------------------------------------- one run
  task automatic run_program(input string name, input int xr, input int hl, input int sb,
                             input int ol, input logic owait, input logic oen,
                             input int expect_code, input int expect_layer);
    int waited;
    load_program();
    // A refused program issues nothing (and its sizes may be far too large to walk).
    if (expect_code == lstm_pkg::ErrNone) expect_nest();
    else n_expected = 0;
    x_rate = xr;
    h_lat_max = hl;
    shadow_busy_max = sb;
    out_lat_max = ol;
    out_wait_i = owait;
    out_en_i = oen;
    @(negedge clk_i);
    issued = 0;
    issued_k = 0;
    hdone_i = '0;
    x_wr_step_i = '0;
    x_wr_cnt_i = '0;
    out_done_i = '0;
    out_busy = 0;
    shadow_busy = 0;
    shadow_free_i = 1'b1;
    watching = 1'b1;
    start_i = 1'b1;
    @(negedge clk_i);
    start_i = 1'b0;
    waited = 0;
    while (!done_o && !error_o && waited < 100000) begin
      @(negedge clk_i);
      waited++;
    end
    watching = 1'b0;
    if (expect_code == lstm_pkg::ErrNone) begin
      if (!done_o) fail($sformatf("%s: the run did not end in Done (error %0b code %0d)", name,
                                  error_o, err_code_o));
      if (issued != n_expected)
        fail($sformatf("%s: %0d elements issued, expected %0d", name, issued, n_expected));
      if (x_consumed_o != 32'(n_steps)) fail($sformatf("%s: x_consumed %0d", name, x_consumed_o));
    end else begin
      if (!error_o || 32'(err_code_o) != 32'(expect_code) || 32'(err_layer_o) != 32'(expect_layer))
        fail($sformatf("%s: error %0b code %0d layer %0d, expected code %0d layer %0d", name,
                       error_o, err_code_o, err_layer_o, expect_code, expect_layer));
      if (issued != 0) fail($sformatf("%s: a refused program issued %0d elements", name, issued));
    end
  endtask

  task automatic ok_run(input string name, input int xr, input int hl, input int sb, input int ol,
                        input logic owait);
    run_program(name, xr, hl, sb, ol, owait, owait, lstm_pkg::ErrNone, 0);
  endtask
  task automatic bad_run(input string name, input int code, input int layer);
    run_program(name, 16, 4, 2, 2, 1'b0, 1'b0, code, layer);
  endtask

  initial begin
    watching = 1'b0;
    cycle = 0;
    repeat (3) @(posedge clk_i);
    rst_ni = 1'b1;

    // Valid programs, slow and fast environments.
    chain(1, 4, 3, 5, 1, 1);
    ok_run("1 layer, slow", 5, 12, 6, 4, 1'b0);
    // Always ready, h back within the x part: no bubble at all.
    ok_run("1 layer, always ready", 16, 1, 1, 1, 1'b0);
    if (last_issue - first_issue != n_expected - 1)
      fail($sformatf("always ready: %0d elements took %0d cycles", n_expected,
                     last_issue - first_issue + 1));
    // The post unit holds the shadow longer than a group takes.
    ok_run("1 layer, slow post unit", 16, 3, 40, 1, 1'b0);
    // The streamer sends much later than the h is ready.
    chain(1, 6, 2, 3, 1, 1);
    ok_run("1 layer, OUT_WAIT with a very slow streamer", 16, 2, 2, 150, 1'b1);
    chain(3, 3, 4, 3, 5, 2);
    ok_run("3 layers, slow", 6, 10, 5, 3, 1'b0);
    ok_run("3 layers, fast", 16, 2, 1, 1, 1'b0);
    ok_run("3 layers, OUT_WAIT with a slow streamer", 12, 3, 2, 30, 1'b1);
    // A helper-core slice: units 1..3 of 5 in layer 0, 2..5 of 6 in layer 1.
    chain(2, 3, 2, 5, 6, 1);
    unit_lo[0] = 1;
    unit_cnt[0] = 3;
    unit_lo[1] = 2;
    unit_cnt[1] = 4;
    ok_run("2 layers, unit slices", 10, 6, 3, 2, 1'b0);
    // As many steps as limits.max_steps allows: the narrow step counters reach it.
    chain(2, lstm_pkg::MaxSteps, 2, 3, 2, 1);
    ok_run("2 layers, limits.max_steps steps", 16, 2, 1, 1, 1'b0);

    // Programs the check refuses.
    chain(2, 2, 3, 4, 2, 1);
    n_layers = 0;
    bad_run("no layers", lstm_pkg::ErrNumLayers, 0);
    n_layers = MaxLayers + 1;
    bad_run("too many layers", lstm_pkg::ErrNumLayers, 0);
    n_layers = 1 << 20;
    bad_run("far too many layers (held as all ones)", lstm_pkg::ErrNumLayers, 0);
    chain(2, 0, 3, 4, 2, 1);
    bad_run("no steps", lstm_pkg::ErrNumSteps, 0);
    // limits.max_steps (unit.json: 20) sizes NUM_STEPS and the step counters.
    chain(2, lstm_pkg::MaxSteps + 1, 3, 4, 2, 1);
    bad_run("steps above limits.max_steps", lstm_pkg::ErrNumSteps, 0);
    chain(2, 1 << 20, 3, 4, 2, 1);
    bad_run("steps far above the limit (held as all ones)", lstm_pkg::ErrNumSteps, 0);
    chain(2, 2, 3, 4, 2, 1);
    in_size[0] = 0;
    bad_run("empty input", lstm_pkg::ErrInSize, 0);
    chain(2, 2, 3, 4, 2, 1);
    in_size[0] = 1 << 20;
    bad_run("input far above the limit (held as all ones)", lstm_pkg::ErrInSize, 0);
    chain(2, 2, 3, 4, 2, 1);
    in_size[1] = 3;
    bad_run("input size of layer 1 differs from hidden of layer 0", lstm_pkg::ErrInChain, 1);
    chain(2, 2, 3, 4, lstm_pkg::MaxHidden + 1, 1);
    bad_run("hidden above the limit", lstm_pkg::ErrHidden, 1);
    chain(2, 2, 3, 4, 2, 1);
    unit_lo[1] = 1;
    unit_cnt[1] = 2;
    bad_run("units past hidden", lstm_pkg::ErrUnits, 1);
    chain(2, 2, 3, 4, 2, 1);
    wbase[1] = lstm_pkg::WeightDepth - 1;
    bad_run("weights past the memory", lstm_pkg::ErrWeights, 1);
    chain(2, 2, 3, 4, 2, 1);
    bbase[0] = lstm_pkg::BiasDepth - 1;
    bad_run("biases past the memory", lstm_pkg::ErrBiases, 0);
    chain(1, 2, 3, 4, 2, 1);
    run_program("OUT_WAIT without OUT_EN", 16, 4, 2, 2, 1'b1, 1'b0, lstm_pkg::ErrOutWait, 0);

    if (errors == 0) $display("PASS: lstm_core_seq");
    $finish;
  end

  initial begin
    #20000000;
    $display("FAIL: timeout");
    $finish;
  end
endmodule
