// The initializer table: one row per spec of the registry (registry.cpp), with the
// exact law, the variance of one entry, the rule it equals and its source. Shown by
// `initlab init --list` and written to reports/initializers.md.
// fan_in = in, fan_out = out, fan_avg = (fan_in + fan_out) / 2 for W of shape (out, in).
// `equals` is "-" for the base rules (constant, uniform, normal, truncated_normal,
// variance_scaling, orthogonal, identity, sparse).

#include "init/initializer.hpp"

namespace initlab::init {

std::vector<TableRow> table() {
  return {
      {"zeros", "w = 0", "0", "constant:0",
       "PyTorch zeros_; every unit stays identical (no symmetry breaking)"},
      {"ones", "w = 1", "0", "constant:1", "PyTorch ones_"},
      {"constant:V", "w = V", "0", "-", "PyTorch constant_"},
      {"uniform:A", "U(-A, A)", "A^2/3", "-", "PyTorch uniform_(-A, A)"},
      {"normal:STD", "N(0, STD^2)", "STD^2", "-", "PyTorch normal_(0, STD)"},
      {"truncated_normal:STD[,a,b]",
       "STD * (Z | a <= Z <= b), Z ~ N(0, 1); bounds in units of STD, default -2, 2",
       "STD^2 * Var(Z | a <= Z <= b) (0.77374 STD^2 on [-2, 2])",
       "-",
       "PyTorch trunc_normal_(0, STD, a*STD, b*STD) (PyTorch's bounds are absolute)"},
      {"variance_scaling[:scale=S,mode=fan_in|fan_out|fan_avg,"
       "distribution=normal|truncated_normal|uniform]",
       "normal: N(0, S/fan); truncated_normal: s * (Z | -2 <= Z <= 2), "
       "s = sqrt(S/fan) / 0.87962566103423978; uniform: U(-sqrt(3S/fan), sqrt(3S/fan)); "
       "defaults S = 1, fan_in, truncated_normal",
       "S/fan", "-",
       "Keras / JAX VarianceScaling (0.8796... is the std of N(0, 1) on [-2, 2])"},
      {"lecun_normal", "N(0, 1/fan_in)", "1/fan_in",
       "variance_scaling:scale=1,mode=fan_in,distribution=normal",
       "LeCun et al. 1998, Efficient BackProp. Keras's lecun_normal is truncated: "
       "variance_scaling:scale=1,mode=fan_in,distribution=truncated_normal"},
      {"lecun_uniform", "U(-sqrt(3/fan_in), sqrt(3/fan_in))", "1/fan_in",
       "variance_scaling:scale=1,mode=fan_in,distribution=uniform",
       "LeCun et al. 1998; same as Keras"},
      {"xavier_normal[:gain=G] (alias glorot_normal)", "N(0, G^2 * 2/(fan_in + fan_out))",
       "G^2/fan_avg", "variance_scaling:scale=G^2,mode=fan_avg,distribution=normal",
       "Glorot & Bengio 2010; PyTorch xavier_normal_ (plain normal). Keras's glorot_normal is "
       "truncated: variance_scaling:scale=1,mode=fan_avg,distribution=truncated_normal"},
      {"xavier_uniform[:gain=G] (alias glorot_uniform)",
       "U(-G sqrt(6/(fan_in + fan_out)), G sqrt(6/(fan_in + fan_out)))", "G^2/fan_avg",
       "variance_scaling:scale=G^2,mode=fan_avg,distribution=uniform",
       "Glorot & Bengio 2010; PyTorch xavier_uniform_, Keras glorot_uniform"},
      {"he_normal[:mode=fan_in|fan_out|fan_avg,nonlinearity=relu|leaky_relu,slope=S] "
       "(alias kaiming_normal)",
       "N(0, g^2/fan), g = calculate_gain(nonlinearity, S): relu sqrt(2), leaky_relu "
       "sqrt(2/(1+S^2)) (S defaults to 0.01; slope=S alone means leaky_relu); default "
       "N(0, 2/fan_in)",
       "g^2/fan (2/fan_in)", "variance_scaling:scale=2,mode=fan_in,distribution=normal",
       "He et al. 2015, arXiv:1502.01852; PyTorch kaiming_normal_ (plain normal; its "
       "leaky_relu default slope is 0). Keras's he_normal is truncated: "
       "variance_scaling:scale=2,mode=fan_in,distribution=truncated_normal"},
      {"he_uniform[:mode=...,nonlinearity=...,slope=S] (alias kaiming_uniform)",
       "U(-g sqrt(3/fan), g sqrt(3/fan)), g as for he_normal; default "
       "U(-sqrt(6/fan_in), sqrt(6/fan_in))",
       "g^2/fan (2/fan_in)", "variance_scaling:scale=2,mode=fan_in,distribution=uniform",
       "He et al. 2015; PyTorch kaiming_uniform_, Keras he_uniform"},
      {"orthogonal[:GAIN]",
       "GAIN * Q, Q Haar: QR of a Gaussian (of its transpose if out < in) with Q * "
       "diag(sign(diag R)); W W^T = GAIN^2 I (out <= in), W^T W = GAIN^2 I (out >= in)",
       "GAIN^2/max(out, in) (entries not independent)", "-",
       "Saxe et al. 2014, arXiv:1312.6120; Mezzadri 2007; PyTorch orthogonal_"},
      {"identity[:ALPHA]", "ALPHA * I (rectangular: ALPHA on the main diagonal)",
       "population: ALPHA^2 k/N - (ALPHA k/N)^2, k = min(out, in), N = out*in", "-",
       "the note's 2x2 deep linear example; Le et al. 2015; PyTorch eye_ (ALPHA = 1)"},
      {"sparse[:SPARSITY[,STD]]",
       "N(0, STD^2), then ceil(SPARSITY * out) random entries of each column set to 0; "
       "defaults 0.1, 0.01",
       "STD^2 * (out - ceil(SPARSITY out))/out", "-",
       "Martens 2010; PyTorch sparse_"},
      {"note_zero", "w = 0", "0", "zeros", "the note's MNIST \"zero\" initialization"},
      {"note_uniform", "U(-1/sqrt(fan_in), 1/sqrt(fan_in))", "1/(3 fan_in)",
       "variance_scaling:scale=1/3,mode=fan_in,distribution=uniform",
       "the note's MNIST \"uniform\"; also PyTorch nn.Linear's default weight "
       "(kaiming_uniform_ with a = sqrt(5)); a third of Xavier's variance: vanishes with depth"},
      {"note_xavier", "N(0, 1/fan_in)", "1/fan_in", "lecun_normal",
       "the note's MNIST \"Xavier\" (its default)"},
      {"note_standard_normal", "N(0, 1)", "1", "normal:1",
       "the note's MNIST \"standard normal\"; saturates tanh at width 784"},
  };
}

}  // namespace initlab::init
