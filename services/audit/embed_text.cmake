# Turns a text file into a C++ header holding it as one string constant, so
# that a template can live in its own file and still be part of the binary.
#   cmake -DINPUT=<text file> -DOUTPUT=<header> -DNAME=<constant> -P embed_text.cmake
# The text must not contain the raw-string delimiter )vagt_embed".
file(READ "${INPUT}" text)
string(FIND "${text}" ")vagt_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the delimiter )vagt_embed\"")
endif()
get_filename_component(source_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}"
  "// Generated from ${source_name} by embed_text.cmake; do not edit.\n"
  "#pragma once\n"
  "namespace vagt::services::internal {\n"
  "inline constexpr char ${NAME}[] = R\"vagt_embed(${text})vagt_embed\";\n"
  "}  // namespace vagt::services::internal\n")
