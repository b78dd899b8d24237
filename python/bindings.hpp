#pragma once
// Shared by the translation units of the Python module `initlab`.

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>

namespace initlab::python {

namespace py = pybind11;

// A JSON value as the Python object json.loads would give for its text.
py::object to_python(const nlohmann::json& j);

// initlab.theory and initlab.variance (studies.cpp).
void bind_studies(py::module_& m);

// initlab.critical, initlab.phase and initlab.spectrum (criticality.cpp).
void bind_criticality(py::module_& m);

}  // namespace initlab::python
