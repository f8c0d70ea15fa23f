# Copies the pure-Python sources of the cbsim package next to the compiled
# extension (run at build time, so files added since configuring are included).
# Usage: cmake -DSRC=<dir> -DDST=<dir> -P copy_python_package.cmake
file(MAKE_DIRECTORY ${DST})
file(GLOB sources ${SRC}/*.py)
foreach(source ${sources})
  get_filename_component(name ${source} NAME)
  configure_file(${source} ${DST}/${name} COPYONLY)
endforeach()
