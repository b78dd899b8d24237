// libFuzzer target: the .npy parser (lib/data/npy.hpp, data::parse_npy). A file
// that parses must hold exactly product(shape) values.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "data/npy.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace initlab;
  fuzz::expect_clean([&] {
    const data::NpyArray a = data::parse_npy(std::span(data, size), "fuzz.npy");
    std::size_t n = 1;
    for (std::size_t s : a.shape) n *= s;
    if (a.values.size() != n) std::abort();
  });
  return 0;
}
