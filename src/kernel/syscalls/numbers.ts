/** i386 syscall numbers, generated from asm/unistd_32.h (Linux UAPI) by a one-line awk; do not edit by hand. */
export const syscallNames: Record<number, string> = {
  0: 'restart_syscall',
  1: 'exit',
  2: 'fork',
  3: 'read',
  4: 'write',
  5: 'open',
  6: 'close',
  7: 'waitpid',
  8: 'creat',
  9: 'link',
  10: 'unlink',
  11: 'execve',
  12: 'chdir',
  13: 'time',
  14: 'mknod',
  15: 'chmod',
  16: 'lchown',
  17: 'break',
  18: 'oldstat',
  19: 'lseek',
  20: 'getpid',
  21: 'mount',
  22: 'umount',
  23: 'setuid',
  24: 'getuid',
  25: 'stime',
  26: 'ptrace',
  27: 'alarm',
  28: 'oldfstat',
  29: 'pause',
  30: 'utime',
  31: 'stty',
  32: 'gtty',
  33: 'access',
  34: 'nice',
  35: 'ftime',
  36: 'sync',
  37: 'kill',
  38: 'rename',
  39: 'mkdir',
  40: 'rmdir',
  41: 'dup',
  42: 'pipe',
  43: 'times',
  44: 'prof',
  45: 'brk',
  46: 'setgid',
  47: 'getgid',
  48: 'signal',
  49: 'geteuid',
  50: 'getegid',
  51: 'acct',
  52: 'umount2',
  53: 'lock',
  54: 'ioctl',
  55: 'fcntl',
  56: 'mpx',
  57: 'setpgid',
  58: 'ulimit',
  59: 'oldolduname',
  60: 'umask',
  61: 'chroot',
  62: 'ustat',
  63: 'dup2',
  64: 'getppid',
  65: 'getpgrp',
  66: 'setsid',
  67: 'sigaction',
  68: 'sgetmask',
  69: 'ssetmask',
  70: 'setreuid',
  71: 'setregid',
  72: 'sigsuspend',
  73: 'sigpending',
  74: 'sethostname',
  75: 'setrlimit',
  76: 'getrlimit',
  77: 'getrusage',
  78: 'gettimeofday',
  79: 'settimeofday',
  80: 'getgroups',
  81: 'setgroups',
  82: 'select',
  83: 'symlink',
  84: 'oldlstat',
  85: 'readlink',
  86: 'uselib',
  87: 'swapon',
  88: 'reboot',
  89: 'readdir',
  90: 'mmap',
  91: 'munmap',
  92: 'truncate',
  93: 'ftruncate',
  94: 'fchmod',
  95: 'fchown',
  96: 'getpriority',
  97: 'setpriority',
  98: 'profil',
  99: 'statfs',
  100: 'fstatfs',
  101: 'ioperm',
  102: 'socketcall',
  103: 'syslog',
  104: 'setitimer',
  105: 'getitimer',
  106: 'stat',
  107: 'lstat',
  108: 'fstat',
  109: 'olduname',
  110: 'iopl',
  111: 'vhangup',
  112: 'idle',
  113: 'vm86old',
  114: 'wait4',
  115: 'swapoff',
  116: 'sysinfo',
  117: 'ipc',
  118: 'fsync',
  119: 'sigreturn',
  120: 'clone',
  121: 'setdomainname',
  122: 'uname',
  123: 'modify_ldt',
  124: 'adjtimex',
  125: 'mprotect',
  126: 'sigprocmask',
  127: 'create_module',
  128: 'init_module',
  129: 'delete_module',
  130: 'get_kernel_syms',
  131: 'quotactl',
  132: 'getpgid',
  133: 'fchdir',
  134: 'bdflush',
  135: 'sysfs',
  136: 'personality',
  137: 'afs_syscall',
  138: 'setfsuid',
  139: 'setfsgid',
  140: '_llseek',
  141: 'getdents',
  142: '_newselect',
  143: 'flock',
  144: 'msync',
  145: 'readv',
  146: 'writev',
  147: 'getsid',
  148: 'fdatasync',
  149: '_sysctl',
  150: 'mlock',
  151: 'munlock',
  152: 'mlockall',
  153: 'munlockall',
  154: 'sched_setparam',
  155: 'sched_getparam',
  156: 'sched_setscheduler',
  157: 'sched_getscheduler',
  158: 'sched_yield',
  159: 'sched_get_priority_max',
  160: 'sched_get_priority_min',
  161: 'sched_rr_get_interval',
  162: 'nanosleep',
  163: 'mremap',
  164: 'setresuid',
  165: 'getresuid',
  166: 'vm86',
  167: 'query_module',
  168: 'poll',
  169: 'nfsservctl',
  170: 'setresgid',
  171: 'getresgid',
  172: 'prctl',
  173: 'rt_sigreturn',
  174: 'rt_sigaction',
  175: 'rt_sigprocmask',
  176: 'rt_sigpending',
  177: 'rt_sigtimedwait',
  178: 'rt_sigqueueinfo',
  179: 'rt_sigsuspend',
  180: 'pread64',
  181: 'pwrite64',
  182: 'chown',
  183: 'getcwd',
  184: 'capget',
  185: 'capset',
  186: 'sigaltstack',
  187: 'sendfile',
  188: 'getpmsg',
  189: 'putpmsg',
  190: 'vfork',
  191: 'ugetrlimit',
  192: 'mmap2',
  193: 'truncate64',
  194: 'ftruncate64',
  195: 'stat64',
  196: 'lstat64',
  197: 'fstat64',
  198: 'lchown32',
  199: 'getuid32',
  200: 'getgid32',
  201: 'geteuid32',
  202: 'getegid32',
  203: 'setreuid32',
  204: 'setregid32',
  205: 'getgroups32',
  206: 'setgroups32',
  207: 'fchown32',
  208: 'setresuid32',
  209: 'getresuid32',
  210: 'setresgid32',
  211: 'getresgid32',
  212: 'chown32',
  213: 'setuid32',
  214: 'setgid32',
  215: 'setfsuid32',
  216: 'setfsgid32',
  217: 'pivot_root',
  218: 'mincore',
  219: 'madvise',
  220: 'getdents64',
  221: 'fcntl64',
  224: 'gettid',
  225: 'readahead',
  226: 'setxattr',
  227: 'lsetxattr',
  228: 'fsetxattr',
  229: 'getxattr',
  230: 'lgetxattr',
  231: 'fgetxattr',
  232: 'listxattr',
  233: 'llistxattr',
  234: 'flistxattr',
  235: 'removexattr',
  236: 'lremovexattr',
  237: 'fremovexattr',
  238: 'tkill',
  239: 'sendfile64',
  240: 'futex',
  241: 'sched_setaffinity',
  242: 'sched_getaffinity',
  243: 'set_thread_area',
  244: 'get_thread_area',
  245: 'io_setup',
  246: 'io_destroy',
  247: 'io_getevents',
  248: 'io_submit',
  249: 'io_cancel',
  250: 'fadvise64',
  252: 'exit_group',
  253: 'lookup_dcookie',
  254: 'epoll_create',
  255: 'epoll_ctl',
  256: 'epoll_wait',
  257: 'remap_file_pages',
  258: 'set_tid_address',
  259: 'timer_create',
  260: 'timer_settime',
  261: 'timer_gettime',
  262: 'timer_getoverrun',
  263: 'timer_delete',
  264: 'clock_settime',
  265: 'clock_gettime',
  266: 'clock_getres',
  267: 'clock_nanosleep',
  268: 'statfs64',
  269: 'fstatfs64',
  270: 'tgkill',
  271: 'utimes',
  272: 'fadvise64_64',
  273: 'vserver',
  274: 'mbind',
  275: 'get_mempolicy',
  276: 'set_mempolicy',
  277: 'mq_open',
  278: 'mq_unlink',
  279: 'mq_timedsend',
  280: 'mq_timedreceive',
  281: 'mq_notify',
  282: 'mq_getsetattr',
  283: 'kexec_load',
  284: 'waitid',
  286: 'add_key',
  287: 'request_key',
  288: 'keyctl',
  289: 'ioprio_set',
  290: 'ioprio_get',
  291: 'inotify_init',
  292: 'inotify_add_watch',
  293: 'inotify_rm_watch',
  294: 'migrate_pages',
  295: 'openat',
  296: 'mkdirat',
  297: 'mknodat',
  298: 'fchownat',
  299: 'futimesat',
  300: 'fstatat64',
  301: 'unlinkat',
  302: 'renameat',
  303: 'linkat',
  304: 'symlinkat',
  305: 'readlinkat',
  306: 'fchmodat',
  307: 'faccessat',
  308: 'pselect6',
  309: 'ppoll',
  310: 'unshare',
  311: 'set_robust_list',
  312: 'get_robust_list',
  313: 'splice',
  314: 'sync_file_range',
  315: 'tee',
  316: 'vmsplice',
  317: 'move_pages',
  318: 'getcpu',
  319: 'epoll_pwait',
  320: 'utimensat',
  321: 'signalfd',
  322: 'timerfd_create',
  323: 'eventfd',
  324: 'fallocate',
  325: 'timerfd_settime',
  326: 'timerfd_gettime',
  327: 'signalfd4',
  328: 'eventfd2',
  329: 'epoll_create1',
  330: 'dup3',
  331: 'pipe2',
  332: 'inotify_init1',
  333: 'preadv',
  334: 'pwritev',
  335: 'rt_tgsigqueueinfo',
  336: 'perf_event_open',
  337: 'recvmmsg',
  338: 'fanotify_init',
  339: 'fanotify_mark',
  340: 'prlimit64',
  341: 'name_to_handle_at',
  342: 'open_by_handle_at',
  343: 'clock_adjtime',
  344: 'syncfs',
  345: 'sendmmsg',
  346: 'setns',
  347: 'process_vm_readv',
  348: 'process_vm_writev',
  349: 'kcmp',
  350: 'finit_module',
  351: 'sched_setattr',
  352: 'sched_getattr',
  353: 'renameat2',
  354: 'seccomp',
  355: 'getrandom',
  356: 'memfd_create',
  357: 'bpf',
  358: 'execveat',
  359: 'socket',
  360: 'socketpair',
  361: 'bind',
  362: 'connect',
  363: 'listen',
  364: 'accept4',
  365: 'getsockopt',
  366: 'setsockopt',
  367: 'getsockname',
  368: 'getpeername',
  369: 'sendto',
  370: 'sendmsg',
  371: 'recvfrom',
  372: 'recvmsg',
  373: 'shutdown',
  374: 'userfaultfd',
  375: 'membarrier',
  376: 'mlock2',
  377: 'copy_file_range',
  378: 'preadv2',
  379: 'pwritev2',
  380: 'pkey_mprotect',
  381: 'pkey_alloc',
  382: 'pkey_free',
  383: 'statx',
  384: 'arch_prctl',
  385: 'io_pgetevents',
  386: 'rseq',
  393: 'semget',
  394: 'semctl',
  395: 'shmget',
  396: 'shmctl',
  397: 'shmat',
  398: 'shmdt',
  399: 'msgget',
  400: 'msgsnd',
  401: 'msgrcv',
  402: 'msgctl',
  403: 'clock_gettime64',
  404: 'clock_settime64',
  405: 'clock_adjtime64',
  406: 'clock_getres_time64',
  407: 'clock_nanosleep_time64',
  408: 'timer_gettime64',
  409: 'timer_settime64',
  410: 'timerfd_gettime64',
  411: 'timerfd_settime64',
  412: 'utimensat_time64',
  413: 'pselect6_time64',
  414: 'ppoll_time64',
  416: 'io_pgetevents_time64',
  417: 'recvmmsg_time64',
  418: 'mq_timedsend_time64',
  419: 'mq_timedreceive_time64',
  420: 'semtimedop_time64',
  421: 'rt_sigtimedwait_time64',
  422: 'futex_time64',
  423: 'sched_rr_get_interval_time64',
  424: 'pidfd_send_signal',
  425: 'io_uring_setup',
  426: 'io_uring_enter',
  427: 'io_uring_register',
  428: 'open_tree',
  429: 'move_mount',
  430: 'fsopen',
  431: 'fsconfig',
  432: 'fsmount',
  433: 'fspick',
  434: 'pidfd_open',
  435: 'clone3',
  436: 'close_range',
  437: 'openat2',
  438: 'pidfd_getfd',
  439: 'faccessat2',
  440: 'process_madvise',
  441: 'epoll_pwait2',
  442: 'mount_setattr',
  443: 'quotactl_fd',
  444: 'landlock_create_ruleset',
  445: 'landlock_add_rule',
  446: 'landlock_restrict_self',
  447: 'memfd_secret',
  448: 'process_mrelease',
  449: 'futex_waitv',
  450: 'set_mempolicy_home_node',
};

export const SYS_restart_syscall = 0;
export const SYS_exit = 1;
export const SYS_fork = 2;
export const SYS_read = 3;
export const SYS_write = 4;
export const SYS_open = 5;
export const SYS_close = 6;
export const SYS_waitpid = 7;
export const SYS_creat = 8;
export const SYS_link = 9;
export const SYS_unlink = 10;
export const SYS_execve = 11;
export const SYS_chdir = 12;
export const SYS_time = 13;
export const SYS_mknod = 14;
export const SYS_chmod = 15;
export const SYS_lchown = 16;
export const SYS_break = 17;
export const SYS_oldstat = 18;
export const SYS_lseek = 19;
export const SYS_getpid = 20;
export const SYS_mount = 21;
export const SYS_umount = 22;
export const SYS_setuid = 23;
export const SYS_getuid = 24;
export const SYS_stime = 25;
export const SYS_ptrace = 26;
export const SYS_alarm = 27;
export const SYS_oldfstat = 28;
export const SYS_pause = 29;
export const SYS_utime = 30;
export const SYS_stty = 31;
export const SYS_gtty = 32;
export const SYS_access = 33;
export const SYS_nice = 34;
export const SYS_ftime = 35;
export const SYS_sync = 36;
export const SYS_kill = 37;
export const SYS_rename = 38;
export const SYS_mkdir = 39;
export const SYS_rmdir = 40;
export const SYS_dup = 41;
export const SYS_pipe = 42;
export const SYS_times = 43;
export const SYS_prof = 44;
export const SYS_brk = 45;
export const SYS_setgid = 46;
export const SYS_getgid = 47;
export const SYS_signal = 48;
export const SYS_geteuid = 49;
export const SYS_getegid = 50;
export const SYS_acct = 51;
export const SYS_umount2 = 52;
export const SYS_lock = 53;
export const SYS_ioctl = 54;
export const SYS_fcntl = 55;
export const SYS_mpx = 56;
export const SYS_setpgid = 57;
export const SYS_ulimit = 58;
export const SYS_oldolduname = 59;
export const SYS_umask = 60;
export const SYS_chroot = 61;
export const SYS_ustat = 62;
export const SYS_dup2 = 63;
export const SYS_getppid = 64;
export const SYS_getpgrp = 65;
export const SYS_setsid = 66;
export const SYS_sigaction = 67;
export const SYS_sgetmask = 68;
export const SYS_ssetmask = 69;
export const SYS_setreuid = 70;
export const SYS_setregid = 71;
export const SYS_sigsuspend = 72;
export const SYS_sigpending = 73;
export const SYS_sethostname = 74;
export const SYS_setrlimit = 75;
export const SYS_getrlimit = 76;
export const SYS_getrusage = 77;
export const SYS_gettimeofday = 78;
export const SYS_settimeofday = 79;
export const SYS_getgroups = 80;
export const SYS_setgroups = 81;
export const SYS_select = 82;
export const SYS_symlink = 83;
export const SYS_oldlstat = 84;
export const SYS_readlink = 85;
export const SYS_uselib = 86;
export const SYS_swapon = 87;
export const SYS_reboot = 88;
export const SYS_readdir = 89;
export const SYS_mmap = 90;
export const SYS_munmap = 91;
export const SYS_truncate = 92;
export const SYS_ftruncate = 93;
export const SYS_fchmod = 94;
export const SYS_fchown = 95;
export const SYS_getpriority = 96;
export const SYS_setpriority = 97;
export const SYS_profil = 98;
export const SYS_statfs = 99;
export const SYS_fstatfs = 100;
export const SYS_ioperm = 101;
export const SYS_socketcall = 102;
export const SYS_syslog = 103;
export const SYS_setitimer = 104;
export const SYS_getitimer = 105;
export const SYS_stat = 106;
export const SYS_lstat = 107;
export const SYS_fstat = 108;
export const SYS_olduname = 109;
export const SYS_iopl = 110;
export const SYS_vhangup = 111;
export const SYS_idle = 112;
export const SYS_vm86old = 113;
export const SYS_wait4 = 114;
export const SYS_swapoff = 115;
export const SYS_sysinfo = 116;
export const SYS_ipc = 117;
export const SYS_fsync = 118;
export const SYS_sigreturn = 119;
export const SYS_clone = 120;
export const SYS_setdomainname = 121;
export const SYS_uname = 122;
export const SYS_modify_ldt = 123;
export const SYS_adjtimex = 124;
export const SYS_mprotect = 125;
export const SYS_sigprocmask = 126;
export const SYS_create_module = 127;
export const SYS_init_module = 128;
export const SYS_delete_module = 129;
export const SYS_get_kernel_syms = 130;
export const SYS_quotactl = 131;
export const SYS_getpgid = 132;
export const SYS_fchdir = 133;
export const SYS_bdflush = 134;
export const SYS_sysfs = 135;
export const SYS_personality = 136;
export const SYS_afs_syscall = 137;
export const SYS_setfsuid = 138;
export const SYS_setfsgid = 139;
export const SYS__llseek = 140;
export const SYS_getdents = 141;
export const SYS__newselect = 142;
export const SYS_flock = 143;
export const SYS_msync = 144;
export const SYS_readv = 145;
export const SYS_writev = 146;
export const SYS_getsid = 147;
export const SYS_fdatasync = 148;
export const SYS__sysctl = 149;
export const SYS_mlock = 150;
export const SYS_munlock = 151;
export const SYS_mlockall = 152;
export const SYS_munlockall = 153;
export const SYS_sched_setparam = 154;
export const SYS_sched_getparam = 155;
export const SYS_sched_setscheduler = 156;
export const SYS_sched_getscheduler = 157;
export const SYS_sched_yield = 158;
export const SYS_sched_get_priority_max = 159;
export const SYS_sched_get_priority_min = 160;
export const SYS_sched_rr_get_interval = 161;
export const SYS_nanosleep = 162;
export const SYS_mremap = 163;
export const SYS_setresuid = 164;
export const SYS_getresuid = 165;
export const SYS_vm86 = 166;
export const SYS_query_module = 167;
export const SYS_poll = 168;
export const SYS_nfsservctl = 169;
export const SYS_setresgid = 170;
export const SYS_getresgid = 171;
export const SYS_prctl = 172;
export const SYS_rt_sigreturn = 173;
export const SYS_rt_sigaction = 174;
export const SYS_rt_sigprocmask = 175;
export const SYS_rt_sigpending = 176;
export const SYS_rt_sigtimedwait = 177;
export const SYS_rt_sigqueueinfo = 178;
export const SYS_rt_sigsuspend = 179;
export const SYS_pread64 = 180;
export const SYS_pwrite64 = 181;
export const SYS_chown = 182;
export const SYS_getcwd = 183;
export const SYS_capget = 184;
export const SYS_capset = 185;
export const SYS_sigaltstack = 186;
export const SYS_sendfile = 187;
export const SYS_getpmsg = 188;
export const SYS_putpmsg = 189;
export const SYS_vfork = 190;
export const SYS_ugetrlimit = 191;
export const SYS_mmap2 = 192;
export const SYS_truncate64 = 193;
export const SYS_ftruncate64 = 194;
export const SYS_stat64 = 195;
export const SYS_lstat64 = 196;
export const SYS_fstat64 = 197;
export const SYS_lchown32 = 198;
export const SYS_getuid32 = 199;
export const SYS_getgid32 = 200;
export const SYS_geteuid32 = 201;
export const SYS_getegid32 = 202;
export const SYS_setreuid32 = 203;
export const SYS_setregid32 = 204;
export const SYS_getgroups32 = 205;
export const SYS_setgroups32 = 206;
export const SYS_fchown32 = 207;
export const SYS_setresuid32 = 208;
export const SYS_getresuid32 = 209;
export const SYS_setresgid32 = 210;
export const SYS_getresgid32 = 211;
export const SYS_chown32 = 212;
export const SYS_setuid32 = 213;
export const SYS_setgid32 = 214;
export const SYS_setfsuid32 = 215;
export const SYS_setfsgid32 = 216;
export const SYS_pivot_root = 217;
export const SYS_mincore = 218;
export const SYS_madvise = 219;
export const SYS_getdents64 = 220;
export const SYS_fcntl64 = 221;
export const SYS_gettid = 224;
export const SYS_readahead = 225;
export const SYS_setxattr = 226;
export const SYS_lsetxattr = 227;
export const SYS_fsetxattr = 228;
export const SYS_getxattr = 229;
export const SYS_lgetxattr = 230;
export const SYS_fgetxattr = 231;
export const SYS_listxattr = 232;
export const SYS_llistxattr = 233;
export const SYS_flistxattr = 234;
export const SYS_removexattr = 235;
export const SYS_lremovexattr = 236;
export const SYS_fremovexattr = 237;
export const SYS_tkill = 238;
export const SYS_sendfile64 = 239;
export const SYS_futex = 240;
export const SYS_sched_setaffinity = 241;
export const SYS_sched_getaffinity = 242;
export const SYS_set_thread_area = 243;
export const SYS_get_thread_area = 244;
export const SYS_io_setup = 245;
export const SYS_io_destroy = 246;
export const SYS_io_getevents = 247;
export const SYS_io_submit = 248;
export const SYS_io_cancel = 249;
export const SYS_fadvise64 = 250;
export const SYS_exit_group = 252;
export const SYS_lookup_dcookie = 253;
export const SYS_epoll_create = 254;
export const SYS_epoll_ctl = 255;
export const SYS_epoll_wait = 256;
export const SYS_remap_file_pages = 257;
export const SYS_set_tid_address = 258;
export const SYS_timer_create = 259;
export const SYS_timer_settime = 260;
export const SYS_timer_gettime = 261;
export const SYS_timer_getoverrun = 262;
export const SYS_timer_delete = 263;
export const SYS_clock_settime = 264;
export const SYS_clock_gettime = 265;
export const SYS_clock_getres = 266;
export const SYS_clock_nanosleep = 267;
export const SYS_statfs64 = 268;
export const SYS_fstatfs64 = 269;
export const SYS_tgkill = 270;
export const SYS_utimes = 271;
export const SYS_fadvise64_64 = 272;
export const SYS_vserver = 273;
export const SYS_mbind = 274;
export const SYS_get_mempolicy = 275;
export const SYS_set_mempolicy = 276;
export const SYS_mq_open = 277;
export const SYS_mq_unlink = 278;
export const SYS_mq_timedsend = 279;
export const SYS_mq_timedreceive = 280;
export const SYS_mq_notify = 281;
export const SYS_mq_getsetattr = 282;
export const SYS_kexec_load = 283;
export const SYS_waitid = 284;
export const SYS_add_key = 286;
export const SYS_request_key = 287;
export const SYS_keyctl = 288;
export const SYS_ioprio_set = 289;
export const SYS_ioprio_get = 290;
export const SYS_inotify_init = 291;
export const SYS_inotify_add_watch = 292;
export const SYS_inotify_rm_watch = 293;
export const SYS_migrate_pages = 294;
export const SYS_openat = 295;
export const SYS_mkdirat = 296;
export const SYS_mknodat = 297;
export const SYS_fchownat = 298;
export const SYS_futimesat = 299;
export const SYS_fstatat64 = 300;
export const SYS_unlinkat = 301;
export const SYS_renameat = 302;
export const SYS_linkat = 303;
export const SYS_symlinkat = 304;
export const SYS_readlinkat = 305;
export const SYS_fchmodat = 306;
export const SYS_faccessat = 307;
export const SYS_pselect6 = 308;
export const SYS_ppoll = 309;
export const SYS_unshare = 310;
export const SYS_set_robust_list = 311;
export const SYS_get_robust_list = 312;
export const SYS_splice = 313;
export const SYS_sync_file_range = 314;
export const SYS_tee = 315;
export const SYS_vmsplice = 316;
export const SYS_move_pages = 317;
export const SYS_getcpu = 318;
export const SYS_epoll_pwait = 319;
export const SYS_utimensat = 320;
export const SYS_signalfd = 321;
export const SYS_timerfd_create = 322;
export const SYS_eventfd = 323;
export const SYS_fallocate = 324;
export const SYS_timerfd_settime = 325;
export const SYS_timerfd_gettime = 326;
export const SYS_signalfd4 = 327;
export const SYS_eventfd2 = 328;
export const SYS_epoll_create1 = 329;
export const SYS_dup3 = 330;
export const SYS_pipe2 = 331;
export const SYS_inotify_init1 = 332;
export const SYS_preadv = 333;
export const SYS_pwritev = 334;
export const SYS_rt_tgsigqueueinfo = 335;
export const SYS_perf_event_open = 336;
export const SYS_recvmmsg = 337;
export const SYS_fanotify_init = 338;
export const SYS_fanotify_mark = 339;
export const SYS_prlimit64 = 340;
export const SYS_name_to_handle_at = 341;
export const SYS_open_by_handle_at = 342;
export const SYS_clock_adjtime = 343;
export const SYS_syncfs = 344;
export const SYS_sendmmsg = 345;
export const SYS_setns = 346;
export const SYS_process_vm_readv = 347;
export const SYS_process_vm_writev = 348;
export const SYS_kcmp = 349;
export const SYS_finit_module = 350;
export const SYS_sched_setattr = 351;
export const SYS_sched_getattr = 352;
export const SYS_renameat2 = 353;
export const SYS_seccomp = 354;
export const SYS_getrandom = 355;
export const SYS_memfd_create = 356;
export const SYS_bpf = 357;
export const SYS_execveat = 358;
export const SYS_socket = 359;
export const SYS_socketpair = 360;
export const SYS_bind = 361;
export const SYS_connect = 362;
export const SYS_listen = 363;
export const SYS_accept4 = 364;
export const SYS_getsockopt = 365;
export const SYS_setsockopt = 366;
export const SYS_getsockname = 367;
export const SYS_getpeername = 368;
export const SYS_sendto = 369;
export const SYS_sendmsg = 370;
export const SYS_recvfrom = 371;
export const SYS_recvmsg = 372;
export const SYS_shutdown = 373;
export const SYS_userfaultfd = 374;
export const SYS_membarrier = 375;
export const SYS_mlock2 = 376;
export const SYS_copy_file_range = 377;
export const SYS_preadv2 = 378;
export const SYS_pwritev2 = 379;
export const SYS_pkey_mprotect = 380;
export const SYS_pkey_alloc = 381;
export const SYS_pkey_free = 382;
export const SYS_statx = 383;
export const SYS_arch_prctl = 384;
export const SYS_io_pgetevents = 385;
export const SYS_rseq = 386;
export const SYS_semget = 393;
export const SYS_semctl = 394;
export const SYS_shmget = 395;
export const SYS_shmctl = 396;
export const SYS_shmat = 397;
export const SYS_shmdt = 398;
export const SYS_msgget = 399;
export const SYS_msgsnd = 400;
export const SYS_msgrcv = 401;
export const SYS_msgctl = 402;
export const SYS_clock_gettime64 = 403;
export const SYS_clock_settime64 = 404;
export const SYS_clock_adjtime64 = 405;
export const SYS_clock_getres_time64 = 406;
export const SYS_clock_nanosleep_time64 = 407;
export const SYS_timer_gettime64 = 408;
export const SYS_timer_settime64 = 409;
export const SYS_timerfd_gettime64 = 410;
export const SYS_timerfd_settime64 = 411;
export const SYS_utimensat_time64 = 412;
export const SYS_pselect6_time64 = 413;
export const SYS_ppoll_time64 = 414;
export const SYS_io_pgetevents_time64 = 416;
export const SYS_recvmmsg_time64 = 417;
export const SYS_mq_timedsend_time64 = 418;
export const SYS_mq_timedreceive_time64 = 419;
export const SYS_semtimedop_time64 = 420;
export const SYS_rt_sigtimedwait_time64 = 421;
export const SYS_futex_time64 = 422;
export const SYS_sched_rr_get_interval_time64 = 423;
export const SYS_pidfd_send_signal = 424;
export const SYS_io_uring_setup = 425;
export const SYS_io_uring_enter = 426;
export const SYS_io_uring_register = 427;
export const SYS_open_tree = 428;
export const SYS_move_mount = 429;
export const SYS_fsopen = 430;
export const SYS_fsconfig = 431;
export const SYS_fsmount = 432;
export const SYS_fspick = 433;
export const SYS_pidfd_open = 434;
export const SYS_clone3 = 435;
export const SYS_close_range = 436;
export const SYS_openat2 = 437;
export const SYS_pidfd_getfd = 438;
export const SYS_faccessat2 = 439;
export const SYS_process_madvise = 440;
export const SYS_epoll_pwait2 = 441;
export const SYS_mount_setattr = 442;
export const SYS_quotactl_fd = 443;
export const SYS_landlock_create_ruleset = 444;
export const SYS_landlock_add_rule = 445;
export const SYS_landlock_restrict_self = 446;
export const SYS_memfd_secret = 447;
export const SYS_process_mrelease = 448;
export const SYS_futex_waitv = 449;
export const SYS_set_mempolicy_home_node = 450;
