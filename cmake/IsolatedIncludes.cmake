# unroll_isolated_include(<name> <probe header>)
# Finds a header-only library installed on the host (e.g. /usr/include/nlohmann) and exposes it
# through ${CMAKE_BINARY_DIR}/isolated_include/<name>, a symbolic link, so that a cross compiler
# (Emscripten) can be given that one folder instead of all of /usr/include.
set(UNROLL_ISOLATED_INCLUDE_DIR "${CMAKE_BINARY_DIR}/isolated_include")

function(unroll_isolated_include name probe)
  find_path(_dir "${probe}" PATHS /usr/include /usr/local/include NO_CMAKE_FIND_ROOT_PATH)
  if(NOT _dir)
    message(FATAL_ERROR "Header ${probe} not found; run scripts/setup.sh to install it.")
  endif()
  file(MAKE_DIRECTORY "${UNROLL_ISOLATED_INCLUDE_DIR}")
  if(NOT EXISTS "${UNROLL_ISOLATED_INCLUDE_DIR}/${name}")
    file(CREATE_LINK "${_dir}/${name}" "${UNROLL_ISOLATED_INCLUDE_DIR}/${name}" SYMBOLIC)
  endif()
  unset(_dir CACHE)
endfunction()
