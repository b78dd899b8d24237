// libFuzzer target: the MNIST cache reader (lib/data/mnist.hpp, data::read_mnist_cache).
// The cache ends with an FNV-1a checksum a mutation almost never keeps valid, so
// when the first byte is even the target appends the correct checksum to the rest
// of the input: the fuzzer then reaches the size and label checks behind it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "data/mnist.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace initlab;
  if (size == 0) return 0;
  std::vector<std::uint8_t> bytes(data + 1, data + size);
  if (data[0] % 2 == 0) {
    const std::uint64_t h = data::fnv1a64(bytes);
    for (int k = 0; k < 8; ++k) bytes.push_back(static_cast<std::uint8_t>(h >> (8 * k)));
  }
  const auto path = fuzz::write_scratch("mnist-10k.bin", bytes);
  fuzz::expect_clean([&] { data::read_mnist_cache(path); });
  return 0;
}
