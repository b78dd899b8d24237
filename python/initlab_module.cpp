// `import initlab`: the library from Python (pybind11).
//
//   initlab.init(spec, shape, seed=1, dtype="float32", threads=1) -> new (out, in) array,
//       bit-identical to `initlab init SPEC --shape OUT,IN --seed S --dtype ... --npy F`
//   initlab.init_(array, spec, seed=1, threads=1) -> fills a writable C-contiguous
//       (out, in) float32/float64 array in place (e.g. torch_tensor.numpy()) and returns it
//   initlab.check(array, spec, layout="out_in", level=1e-6) -> the dict `initlab check --json`
//       prints (without "provenance" and "file"); spec "auto" lists the consistent specs
//   initlab.theory(...), initlab.variance(...): studies.cpp
//   initlab.critical(...), initlab.phase(...), initlab.spectrum(...): criticality.cpp
//
// The GIL is released during the C++ work; std::invalid_argument (every bad-input
// error of the library, one line) becomes ValueError with the same message.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "check_json.hpp"
#include "core/error.hpp"
#include "init/initializer.hpp"
#include "random/stream.hpp"
#include "study/check_study.hpp"

namespace initlab::python {

py::object to_python(const nlohmann::json& j) {
  return py::module_::import("json").attr("loads")(j.dump());
}

namespace {

enum class Precision { f4, f8 };

Precision precision_of(const py::dtype& dt, std::string_view who) {
  if (dt.kind() == 'f' && dt.itemsize() == 4) return Precision::f4;
  if (dt.kind() == 'f' && dt.itemsize() == 8) return Precision::f8;
  const auto name = py::str(static_cast<const py::handle&>(dt)).cast<std::string>();
  fail(who, "dtype ", name, "; expected float32 or float64");
}

FanShape shape_2d(const std::vector<std::size_t>& shape, std::string_view who) {
  if (shape.size() != 2) {
    fail(who, "shape ", shape_str(shape), " is not (out, in); expected two dimensions");
  }
  return {shape[0], shape[1]};
}

random::Stream stream(std::uint64_t seed, int threads, std::string_view who) {
  if (threads < 1) fail(who, "threads ", threads, "; expected >= 1");
  return random::Stream(seed).with_threads(threads);
}

// w (out, in) row-major <- one draw of spec, without the GIL
template <class T>
void fill(T* data, FanShape s, const init::Initializer& ini, const random::Stream& rng) {
  py::gil_scoped_release release;
  ini(std::span<T>(data, s.size()), s, rng);
}

py::array init(const std::string& spec, const std::vector<std::size_t>& shape,
               std::uint64_t seed, const py::object& dtype, int threads) {
  const init::Initializer ini = init::parse(spec);
  const FanShape s = shape_2d(shape, "initlab.init");
  const random::Stream rng = stream(seed, threads, "initlab.init");
  const std::vector<py::ssize_t> dims = {static_cast<py::ssize_t>(s.out),
                                         static_cast<py::ssize_t>(s.in)};
  if (precision_of(py::dtype::from_args(dtype), "initlab.init") == Precision::f4) {
    py::array_t<float> a(dims);
    fill(a.mutable_data(), s, ini, rng);
    return std::move(a);
  }
  py::array_t<double> a(dims);
  fill(a.mutable_data(), s, ini, rng);
  return std::move(a);
}

py::array init_in_place(py::array a, const std::string& spec, std::uint64_t seed, int threads) {
  const init::Initializer ini = init::parse(spec);
  const Precision p = precision_of(a.dtype(), "initlab.init_");
  if (!a.writeable()) fail("initlab.init_", "the array is read-only; expected a writable array");
  if (!(a.flags() & py::array::c_style)) {
    fail("initlab.init_", "the array is not C-contiguous; expected a C-contiguous (out, in) array");
  }
  const FanShape s = shape_2d(std::vector<std::size_t>(a.shape(), a.shape() + a.ndim()),
                              "initlab.init_");
  const random::Stream rng = stream(seed, threads, "initlab.init_");
  if (p == Precision::f4) {
    fill(static_cast<float*>(a.mutable_data()), s, ini, rng);
  } else {
    fill(static_cast<double*>(a.mutable_data()), s, ini, rng);
  }
  return a;
}

py::object check(const py::array& a, const std::string& spec, const std::string& layout,
                 double level) {
  const data::NpyDtype dtype = precision_of(a.dtype(), "initlab.check") == Precision::f4
                                   ? data::NpyDtype::f4
                                   : data::NpyDtype::f8;
  // float32 widens to double exactly; any memory order becomes C order
  const auto values =
      py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
  const std::vector<std::size_t> shape(a.shape(), a.shape() + a.ndim());
  const std::span<const double> v(values.data(), static_cast<std::size_t>(values.size()));
  nlohmann::json j;
  {
    py::gil_scoped_release release;
    const study::Layout l = study::parse_layout(layout);
    j = spec == "auto" ? tool::check_auto_json(study::check_auto(v, shape, dtype, l, level))
                       : tool::check_json(study::check_tensor(v, shape, dtype, spec, l, level));
  }
  return to_python(j);
}

}  // namespace
}  // namespace initlab::python

PYBIND11_MODULE(initlab, m) {
  using namespace initlab::python;
  m.doc() = "initlab: weight initializers, their laws and mean-field theory (see README.md)";
  m.def("init", &init, py::arg("spec"), py::arg("shape"), py::arg("seed") = 1,
        py::arg("dtype") = py::str("float32"), py::arg("threads") = 1,
        "A new (out, in) array drawn by the initializer spec, bit-identical to the C++ draw "
        "(initlab init SPEC --shape OUT,IN --seed S --npy FILE).");
  m.def("init_", &init_in_place, py::arg("array"), py::arg("spec"), py::arg("seed") = 1,
        py::arg("threads") = 1,
        "Fill a writable C-contiguous float32/float64 (out, in) array in place "
        "(e.g. torch_tensor.numpy()) with the draw init() would return; returns it.");
  m.def("check", &check, py::arg("array"), py::arg("spec"), py::arg("layout") = "out_in",
        py::arg("level") = 1e-6,
        "Test an array against the law of spec (or 'auto'): the dict `initlab check --json` "
        "prints. layout: out_in (PyTorch) or in_out (Keras/JAX).");
  bind_studies(m);
  bind_criticality(m);
}
