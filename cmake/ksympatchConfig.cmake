# ksympatch for a CMake build: find_package(ksympatch CONFIG REQUIRED), then
#
#     add_executable(firmware.elf main.c ...)      # its linker script INCLUDEs kernel_symbols.ld
#     ksympatch_add(firmware.elf [PATCH_ARGS --fit ...])
#
# ksympatch_add(TARGET) adds the runtime (ksym.c) to the executable TARGET,
# with <ksym/...> on its include path and the flags it needs (as the make
# fragment ksympatch.mk gives them), puts the directory of
# kernel_symbols.ld on the linker's search path (-L), and makes the patch
# the link's POST_BUILD step: the linker's output is renamed
# TARGET_FILE.unpatched and `ksympatch patch` writes TARGET_FILE from it,
# so if the patch fails there is no TARGET_FILE and the next build links
# again instead of taking an unpatched image for an up-to-date one.
#
# Strategy: one file for both layouts.  Installed (make install), it sits in
# PREFIX/lib/cmake/ksympatch and finds PREFIX/bin/ksympatch,
# PREFIX/include and PREFIX/share/ksympatch; in a checkout it is
# cmake/ksympatchConfig.cmake (-Dksympatch_DIR=CHECKOUT/cmake) and finds
# runtime/, linker_scripts/ and build/ksympatch (run `make` there first).
# KSYMPATCH_EXECUTABLE overrides the tool.

cmake_minimum_required(VERSION 3.18)

get_filename_component(_ksym_here "${CMAKE_CURRENT_LIST_DIR}" ABSOLUTE)
if(EXISTS "${_ksym_here}/../runtime/ksym.c")
	get_filename_component(_ksym_root "${_ksym_here}/.." ABSOLUTE)
	set(KSYMPATCH_RUNTIME_SOURCE "${_ksym_root}/runtime/ksym.c")
	set(KSYMPATCH_INCLUDE_DIR "${_ksym_root}/runtime/include")
	set(KSYMPATCH_LINKER_SCRIPT_DIR "${_ksym_root}/linker_scripts")
	set(_ksym_tool "${_ksym_root}/build/ksympatch")
else()
	get_filename_component(_ksym_root "${_ksym_here}/../../.." ABSOLUTE)
	set(KSYMPATCH_RUNTIME_SOURCE "${_ksym_root}/share/ksympatch/ksym.c")
	set(KSYMPATCH_INCLUDE_DIR "${_ksym_root}/include")
	set(KSYMPATCH_LINKER_SCRIPT_DIR "${_ksym_root}/share/ksympatch")
	set(_ksym_tool "${_ksym_root}/bin/ksympatch")
endif()
set(KSYMPATCH_EXECUTABLE "${_ksym_tool}" CACHE FILEPATH "the ksympatch tool")

foreach(_ksym_file "${KSYMPATCH_RUNTIME_SOURCE}" "${KSYMPATCH_INCLUDE_DIR}/ksym/kernel.h"
		"${KSYMPATCH_LINKER_SCRIPT_DIR}/kernel_symbols.ld" "${KSYMPATCH_EXECUTABLE}")
	if(NOT EXISTS "${_ksym_file}")
		set(ksympatch_FOUND FALSE)
		set(ksympatch_NOT_FOUND_MESSAGE
			"ksympatch: ${_ksym_file} is missing; run make (in a checkout) or make install")
		return()
	endif()
endforeach()
set(ksympatch_FOUND TRUE)

# ksympatch_add(TARGET [PATCH_ARGS arg...])
function(ksympatch_add target)
	cmake_parse_arguments(PARSE_ARGV 1 KSYM "" "" "PATCH_ARGS")
	if(NOT TARGET ${target})
		message(FATAL_ERROR "ksympatch_add: ${target} is not a target; call it after add_executable(${target} ...)")
	endif()
	get_target_property(_type ${target} TYPE)
	if(NOT _type STREQUAL "EXECUTABLE")
		message(FATAL_ERROR "ksympatch_add: ${target} is a ${_type}; the patch needs the linked executable")
	endif()

	# What ksympatch.mk's KSYM_CFLAGS says: no FP/SIMD register, where the
	# compiler needs telling (AArch64; 32-bit ARM with GCC).
	set(_flags -ffreestanding)
	if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)")
		list(APPEND _flags -mgeneral-regs-only)
	elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^arm" AND CMAKE_C_COMPILER_ID STREQUAL "GNU")
		list(APPEND _flags -mgeneral-regs-only)
	endif()
	target_sources(${target} PRIVATE "${KSYMPATCH_RUNTIME_SOURCE}")
	set_source_files_properties("${KSYMPATCH_RUNTIME_SOURCE}" TARGET_DIRECTORY ${target}
		PROPERTIES COMPILE_OPTIONS "${_flags}")
	target_include_directories(${target} PRIVATE "${KSYMPATCH_INCLUDE_DIR}")
	target_link_options(${target} PRIVATE "-L${KSYMPATCH_LINKER_SCRIPT_DIR}")

	add_custom_command(TARGET ${target} POST_BUILD
		COMMAND "${CMAKE_COMMAND}" -E rename "$<TARGET_FILE:${target}>" "$<TARGET_FILE:${target}>.unpatched"
		COMMAND "${KSYMPATCH_EXECUTABLE}" patch ${KSYM_PATCH_ARGS}
			"$<TARGET_FILE:${target}>.unpatched" -o "$<TARGET_FILE:${target}>"
		COMMENT "ksympatch patch ${target}"
		VERBATIM)
endfunction()
