/* Threads: pthread_create/join, a mutex-protected counter, thread-local storage, and futex waits. */
#include <pthread.h>
#include <stdio.h>

static __thread int local = 5;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *work(void *argument) {
  int id = (int)(long)argument;
  local += id;
  for (int i = 0; i < 20000; i++) { pthread_mutex_lock(&lock); counter++; pthread_mutex_unlock(&lock); }
  return (void *)(long)local;
}

int main(void) {
  pthread_t threads[4];
  for (long i = 0; i < 4; i++) pthread_create(&threads[i], NULL, work, (void *)i);
  for (int i = 0; i < 4; i++) { void *result; pthread_join(threads[i], &result); printf("thread %d local %ld\n", i, (long)result); }
  printf("counter %ld main local %d\n", counter, local);
  return 0;
}
