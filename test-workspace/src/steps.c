/*
 * steps: writes to watched globals one line at a time, for stepping over writes and for values with types.
 * Each writing line is a single store, so stepping over it or resuming from a breakpoint on it makes the write
 * inside gdb's single step.
 */
#include <stdio.h>

struct job {
  int id;
  const char *name;
};

int g;
float ratio = 1.0f;
struct job jobs[4] = {{1, "parse"}, {2, "load"}, {3, "sort"}, {4, "print"}};
struct job *current;
char grade = 'C';
_Bool done;

/* Three writes on one line: a step through it writes several times. */
static void bump(int n) { for (int i = 0; i < n; i++) g += 10; } /* BP:steps-bump */

int main(void) {
  g = 1;              /* BP:steps-first */
  g = 2;              /* BP:steps-write */
  g = 2;              /* BP:steps-same */
  g = 3;              /* BP:steps-third */
  ratio = 0.5f;       /* BP:steps-float */
  current = &jobs[1]; /* BP:steps-pointer */
  grade = 'A';        /* BP:steps-char */
  done = 1;           /* BP:steps-bool */
  bump(3);            /* BP:steps-call */
  printf("steps: g=%d ratio=%g job=%s grade=%c\n", g, ratio, current->name, grade);
  return 0;
}
