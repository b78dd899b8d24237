// Stream properties over arbitrary seeds, ids, offsets and thread counts:
// element offset + i is the same number whatever range it is drawn in.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <vector>

#include "random/stream.hpp"

namespace initlab::random {
namespace {

template <class T>
std::vector<T> draw(const Stream& s, int law, std::size_t n, std::uint64_t offset) {
  std::vector<T> x(n);
  switch (law) {
    case 0: s.uniform<T>(x, T(-1), T(1), offset); break;
    case 1: s.normal<T>(x, T(0), T(1), offset); break;
    case 2: s.truncated_normal<T>(x, T(1), T(-2), T(2), offset); break;
    default: s.truncated_normal<T>(x, T(0.5), T(-3), T(-1), offset); break;
  }
  return x;
}

template <class T>
void check_pure_function_of_index() {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const auto id = *rc::gen::arbitrary<std::uint64_t>().as("id");
  const auto offset = *rc::gen::inRange<std::uint64_t>(0, std::uint64_t{1} << 60).as("offset");
  const auto n = *rc::gen::inRange<std::size_t>(0, 700).as("n");
  const auto back = *rc::gen::inRange<std::uint64_t>(0, 200).as("back");
  const auto threads = *rc::gen::inRange(1, 9).as("threads");
  const auto law = *rc::gen::inRange(0, 4).as("law");
  const Stream s(seed, id, threads);
  const auto x = draw<T>(s, law, n, offset);
  // The same elements inside a longer fill that starts `back` elements earlier.
  const std::uint64_t start = offset - std::min(back, offset);
  const auto longer = draw<T>(s.with_threads(1), law, n + (offset - start), start);
  for (std::size_t i = 0; i < n; ++i) RC_ASSERT(x[i] == longer[i + (offset - start)]);
  // And drawn alone.
  if (n > 0) {
    const auto i = *rc::gen::inRange<std::size_t>(0, n).as("i");
    RC_ASSERT(draw<T>(s, law, 1, offset + i)[0] == x[i]);
  }
}

RC_GTEST_PROP(Stream, FloatElementIsPureFunctionOfIndex, ()) { check_pure_function_of_index<float>(); }
RC_GTEST_PROP(Stream, DoubleElementIsPureFunctionOfIndex, ()) { check_pure_function_of_index<double>(); }

// Large fills with random thread counts and offsets equal the one-thread fill.
RC_GTEST_PROP(Stream, ThreadCountNeverChangesValues, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const auto offset = *rc::gen::inRange<std::uint64_t>(0, 1000).as("offset");
  const auto n = *rc::gen::inRange<std::size_t>(65536, 270000).as("n");
  const auto threads = *rc::gen::inRange(2, 9).as("threads");
  const auto law = *rc::gen::inRange(0, 4).as("law");
  const Stream s(seed, 1);
  RC_ASSERT(draw<float>(s.with_threads(threads), law, n, offset) == draw<float>(s, law, n, offset));
}

// Split children are a pure function of (seed, id, k).
RC_GTEST_PROP(Stream, SplitIsPureFunction, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const auto id = *rc::gen::arbitrary<std::uint64_t>().as("id");
  const auto k = *rc::gen::arbitrary<std::uint64_t>().as("k");
  const Stream a(seed, id);
  const Stream b(seed, id, 3);
  RC_ASSERT(a.split(k).id() == b.split(k).id());
  RC_ASSERT(a.split(k).seed() == seed);
  RC_ASSERT(a.split(k).id() != a.split(k + 1).id());
}

}  // namespace
}  // namespace initlab::random
