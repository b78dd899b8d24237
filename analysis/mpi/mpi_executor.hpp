#pragma once
// The sweep executor over MPI ranks (built only with MPI: CMake option INITLAB_MPI).
// Rank 0 keeps the queue of configuration ids and hands the next one to whichever
// rank asks (costs differ by orders of magnitude between depths), runs
// configurations itself on a second thread, and gets every record line back; the
// other ranks only compute. If the job is stopped (a rank lost, or SIGTERM),
// rank 0 names the configurations that were running on stderr; the journal keeps
// the finished ones for --resume.

#include <memory>

#include "study/sweep_run.hpp"

namespace initlab::tool {

// Whether an MPI launcher (mpirun, srun) started this process (its environment).
bool mpi_launched();

// The executor over MPI_COMM_WORLD when this process was started by an MPI
// launcher (mpirun, srun), else nullptr. Initialises MPI; the executor's
// destructor finalises it.
std::unique_ptr<study::SweepExecutor> mpi_executor_if_launched();

// Ends every rank of the job with exit code `code` (after an error on one rank).
[[noreturn]] void mpi_abort(int code);

}  // namespace initlab::tool
