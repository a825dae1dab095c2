# Shared rules of the userland folders whose every *.c is one static i386
# program: build/NAME from NAME.c. A folder's Makefile sets OPTIMIZE (default
# -O1) and HEADERS (the local headers every program depends on), then includes
# this file.
CC = gcc
OPTIMIZE ?= -O1
CFLAGS = -m32 -static $(OPTIMIZE) -Wall -Wno-unused-result
SOURCES := $(wildcard *.c)
PROGRAMS := $(SOURCES:%.c=build/%)
all: $(PROGRAMS)
build/%: %.c $(HEADERS) | build
	$(CC) $(CFLAGS) -o $@ $<
build:
	mkdir -p build
clean:
	rm -rf build
.PHONY: all clean
