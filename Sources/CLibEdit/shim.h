#ifndef NEXUS_CLIBEDIT_SHIM_H
#define NEXUS_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
#endif
