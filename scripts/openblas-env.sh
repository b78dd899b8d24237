# Sourced by the report and benchmark scripts (never by tests or CI):
#   source scripts/openblas-env.sh BUILD_DIR
# Debian's OpenBLAS 0.3.21 does not recognise some recent AVX-512 Xeons and falls
# back to its "Prescott" kernels, which run sgemm about 7x slower. When
# OPENBLAS_CORETYPE is unset, the detected core has no AVX2 kernels, and the CPU
# has avx2 and fma, export OPENBLAS_CORETYPE=Haswell (valid on every AVX2+FMA
# CPU). Sets OPENBLAS_CORE_DETECTED and OPENBLAS_CORE_USED for the reports.
_initlab=${1:?usage: source scripts/openblas-env.sh BUILD_DIR}/bin/initlab
OPENBLAS_CORE_DETECTED=$("$_initlab" info --openblas-core)
case "${OPENBLAS_CORE_DETECTED,,}" in
  haswell|zen|skylakex|cooperlake|sapphirerapids|excavator) _has_avx2_kernels=1 ;;
  *) _has_avx2_kernels=0 ;;
esac
if [[ -z ${OPENBLAS_CORETYPE:-} && $_has_avx2_kernels -eq 0 ]] &&
   grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
  export OPENBLAS_CORETYPE=Haswell
  echo "openblas: detected core ${OPENBLAS_CORE_DETECTED} has no AVX2 kernels on this AVX2+FMA CPU; using OPENBLAS_CORETYPE=Haswell" >&2
fi
OPENBLAS_CORE_USED=$("$_initlab" info --openblas-core)
export OPENBLAS_CORE_DETECTED OPENBLAS_CORE_USED
unset _initlab _has_avx2_kernels
