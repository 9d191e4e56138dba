/*
 * A firmware stub for tests/bench/runtime_size.sh: it links runtime/ksym.c
 * with -ffunction-sections -fdata-sections -Wl,--gc-sections and calls
 *   FW_FAULT  ksym_open and ksym_describe only (a fault reporter);
 *   FW_ALL    every public function but ksym_verify (open, both lookups,
 *             name, format, describe);
 *   FW_VERIFY everything, ksym_verify and the rest too;
 * on inputs read from volatile objects, so nothing is folded away.  The
 * runtime's linked size is what the link map keeps of ksym.o.
 */
#include <ksym/ksym.h>

volatile const unsigned char *fw_blob;
volatile uint64_t fw_in;
volatile size_t fw_out;
char fw_buf[128];

void fw_entry(void)
{
	struct ksym_table t;
	const char *why;

	ksym_open(&t, (const void *)fw_blob, fw_in, fw_in, &why);
#if defined(FW_ALL) || defined(FW_VERIFY)
	struct ksym_symbol s;

	fw_out += (size_t)ksym_lookup_addr(&t, fw_in, &s);
	fw_out += ksym_lookup_name(&t, fw_buf, &s, 1);
	fw_out += ksym_name(&t, &s, fw_buf, sizeof(fw_buf));
	fw_out += ksym_format(&t, fw_buf, sizeof(fw_buf), &s, fw_in);
#endif
#ifdef FW_VERIFY
	fw_out += (size_t)ksym_verify(&t, &why);
	fw_out += (size_t)ksym_blob_bytes(&t);
	ksym_symbol_at(&t, (uint32_t)fw_in, &s);
	fw_out += (size_t)ksym_strerror((int)fw_in)[0];
	fw_out += ksym_checksum((const unsigned char *)fw_blob, fw_in);
#endif
	fw_out += (size_t)ksym_describe(&t, fw_in, fw_in, fw_buf, sizeof(fw_buf));
	fw_out += (size_t)why[0];
	for (;;)
		;
}
