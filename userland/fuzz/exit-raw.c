/* A program without libc: _start calls exit(0) at once, so it never sets up
 * TLS (no set_thread_area). Used by tls-after-exec. */
void _start(void) {
  __asm__ volatile("movl $1, %eax\n\txorl %ebx, %ebx\n\tint $0x80");
}
