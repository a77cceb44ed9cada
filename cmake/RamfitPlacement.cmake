# ramfit as a build step of a CMake firmware project.
#
#   include(RamfitPlacement)
#   ramfit_add_ram_placement(TARGET firmware OBJECTS firmware_objects
#                            PLAN ${CMAKE_CURRENT_SOURCE_DIR}/plan.yaml
#                            MEMORY_MAP ${CMAKE_CURRENT_SOURCE_DIR}/board.ld
#                            REGION sram
#                            [STYLE list|section] [LOAD_REGION rom]
#                            [FALLBACK ${CMAKE_CURRENT_SOURCE_DIR}/ramtext.ld]
#                            [RAMFIT /path/to/ramfit])
#
# Before TARGET links, the committed PLAN becomes a linker fragment,
# ramtext.ld, in a directory put on TARGET's link search path, so that the
# board script's 'INCLUDE ramtext.ld' finds it. Section names come from the
# objects of OBJECTS (an OBJECT library that TARGET links). ramfit writes the
# fragment only when its bytes change, so an unchanged plan relinks nothing;
# a stamp records that the step ran, so that the build settles (an output
# older than its inputs would make the step run at every build).
# After the link, 'ramfit check' proves that every planned function is in
# REGION of MEMORY_MAP, and fails the link step if not (Ninja then relinks
# on the next build rather than trusting the unproven file).
#
# Where ramfit is not installed the project still builds: configuring says
# so in one line, and the link uses FALLBACK (a fragment kept in the tree)
# or an empty fragment, unchecked.
function(ramfit_add_ram_placement)
  cmake_parse_arguments(ARG "" "TARGET;OBJECTS;PLAN;MEMORY_MAP;REGION;STYLE;LOAD_REGION;FALLBACK;RAMFIT" "" ${ARGN})
  foreach(required TARGET OBJECTS PLAN MEMORY_MAP REGION)
    if(NOT ARG_${required})
      message(FATAL_ERROR "ramfit_add_ram_placement: ${required} is required")
    endif()
  endforeach()
  if(NOT ARG_STYLE)
    set(ARG_STYLE list)
  endif()
  if(NOT ARG_LOAD_REGION)
    set(ARG_LOAD_REGION FLASH)
  endif()
  if(NOT ARG_RAMFIT)
    find_program(ARG_RAMFIT ramfit)
  endif()

  set(dir ${CMAKE_CURRENT_BINARY_DIR}/ramfit/${ARG_TARGET})
  set(fragment ${dir}/ramtext.ld)
  set(stamp ${fragment}.stamp)
  file(MAKE_DIRECTORY ${dir})
  set_property(TARGET ${ARG_TARGET} APPEND PROPERTY LINK_DEPENDS ${fragment})
  # Ahead of the board's own directories, whose default ramtext.ld would
  # be found first.
  target_link_options(${ARG_TARGET} BEFORE PRIVATE -L${dir})

  if(NOT ARG_RAMFIT OR NOT EXISTS ${ARG_RAMFIT})
    if(ARG_FALLBACK)
      set(used ${ARG_FALLBACK})
      set(make_fragment ${CMAKE_COMMAND} -E copy_if_different ${ARG_FALLBACK} ${fragment})
    else()
      set(used "no fragment")
      set(make_fragment ${CMAKE_COMMAND} -E touch ${fragment})
    endif()
    message(STATUS "ramfit: 'ramfit' is not installed: ${ARG_TARGET} links with ${used}, unchecked")
    add_custom_command(
      OUTPUT ${stamp}
      BYPRODUCTS ${fragment}
      COMMAND ${make_fragment}
      COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
      DEPENDS ${ARG_FALLBACK}
      COMMENT "ramfit: not installed, linking ${ARG_TARGET} with ${used}, unchecked"
      VERBATIM)
    add_custom_target(${ARG_TARGET}_ramfit_fragment DEPENDS ${stamp})
    add_dependencies(${ARG_TARGET} ${ARG_TARGET}_ramfit_fragment)
    return()
  endif()

  get_target_property(objects_binary_dir ${ARG_OBJECTS} BINARY_DIR)
  set(objects_dir ${objects_binary_dir}/CMakeFiles/${ARG_OBJECTS}.dir)
  add_custom_command(
    OUTPUT ${stamp}
    BYPRODUCTS ${fragment}
    COMMAND ${ARG_RAMFIT} ldscript --plan ${ARG_PLAN} --objects ${objects_dir}
            --style ${ARG_STYLE} --region ${ARG_REGION}
            --load-region ${ARG_LOAD_REGION} -o ${fragment}
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${ARG_PLAN} $<TARGET_OBJECTS:${ARG_OBJECTS}>
    COMMENT "ramfit: linker fragment for ${ARG_TARGET}"
    VERBATIM)
  add_custom_target(${ARG_TARGET}_ramfit_fragment DEPENDS ${stamp})
  add_dependencies(${ARG_TARGET} ${ARG_TARGET}_ramfit_fragment)

  add_custom_command(
    TARGET ${ARG_TARGET} POST_BUILD
    COMMAND ${ARG_RAMFIT} check --plan ${ARG_PLAN} --elf $<TARGET_FILE:${ARG_TARGET}>
            --memory-map ${ARG_MEMORY_MAP} --region ${ARG_REGION}
    COMMENT "ramfit: checking the placement in ${ARG_TARGET}"
    VERBATIM)
endfunction()
