// libFuzzer target: the IDX reader (lib/data/idx.hpp), plain and gzip, as labels
// (1 dimension) and as images (3 dimensions).

#include <cstddef>
#include <cstdint>
#include <span>

#include "data/idx.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace initlab;
  const auto path = fuzz::write_scratch("input-idx-ubyte", std::span(data, size));
  fuzz::expect_clean([&] { data::read_idx(path, 1); });
  fuzz::expect_clean([&] { data::read_idx(path, 3); });
  return 0;
}
