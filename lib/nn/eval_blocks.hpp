#pragma once
// The evaluation pass of nn/trainer.cpp (held-out scores every epoch, nn::evaluate):
// a const forward pass over all rows of a data set, run in blocks of kEvalRows rows
// whose hidden activations stay in cache, into buffers the caller keeps from call to
// call (no allocation, no first-touch page faults after the first). Only the output
// layer is kept for every row, so the loss and the accuracy read it in one call, in
// row order, exactly as they read a pass over all rows at once. Included by
// trainer.cpp only.

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/tensor.hpp"
#include "nn/buffer.hpp"
#include "nn/network.hpp"

namespace initlab::nn::detail {

// Rows per block: at the note's width 300 a block's (h, a) of one layer is 1.2 MB.
// No block is smaller than kEvalRows unless it is the whole pass: with a short last
// block (76 of 1100 rows) OpenBLAS rounded that block's GEMMs differently and the
// held-out loss moved by 7e-10 (relative); with at least 512 rows per block the JSON
// of every preset, and of held-out sets of 511, 513, 1100, 1500 and 3000 rows, was
// byte-identical to one pass over all rows (2026-12-01, docs/perf-notes.md).
inline constexpr std::size_t kEvalRows = 512;

template <class T>
struct EvalBuffers {
  Matrix<T> x;                       // (rows, n_0) the input block
  std::vector<LayerCache<T>> block;  // (rows, n_l) per layer, the block's pass
  LayerCache<T> out;                 // (N, n_L) the output layer, every row
  Matrix<T> dh, da;                  // (N, n_L) the loss's gradient scratch
};

// X (N, n_0) -> e.out.h, e.out.a (N, n_L): net's forward pass, kEvalRows rows at a time.
template <class T>
const LayerCache<T>& forward_blocks(EvalBuffers<T>& e, const Network<T>& net, const Matrix<T>& X) {
  const std::size_t N = X.shape()[0], n0 = X.shape()[1], nL = net.widths().back();
  ensure_shape(e.out.h, N, nL);
  ensure_shape(e.out.a, N, nL);
  std::size_t rows = 0;
  for (std::size_t r0 = 0; r0 < N; r0 += rows) {
    // blocks of kEvalRows; the last one takes the rest (kEvalRows to 2 kEvalRows - 1 rows)
    rows = N - r0 < 2 * kEvalRows ? N - r0 : kEvalRows;
    ensure_shape(e.x, rows, n0);
    std::copy(X.data() + r0 * n0, X.data() + (r0 + rows) * n0, e.x.data());
    net.forward(e.x, e.block);
    const LayerCache<T>& top = e.block.back();
    std::copy(top.h.data(), top.h.data() + rows * nL, e.out.h.data() + r0 * nL);
    std::copy(top.a.data(), top.a.data() + rows * nL, e.out.a.data() + r0 * nL);
  }
  return e.out;
}

}  // namespace initlab::nn::detail
