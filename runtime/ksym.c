/* SPDX-License-Identifier: MIT */
/*
 * ksym runtime: validate the symbol blob once, then answer address and name
 * lookups with binary searches over it.
 *
 * Strategy: ksym_open() proves every bound the lookups rely on (layout,
 * record count, name offsets, NUL-terminated string pool, sort orders,
 * checksum), so the lookups themselves only index inside proven ranges.
 * Fields are read through one pair of accessors that swap bytes when the
 * blob's byte order differs from this CPU's; the same code serves the kernel
 * and the host tool.  Freestanding: no libc calls, no allocation.
 */
#include <ksym/format.h>
#include <ksym/ksym.h>

typedef uint32_t ksym_u32a __attribute__((may_alias, aligned(4)));
typedef uint64_t ksym_u64a __attribute__((may_alias, aligned(8)));

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NATIVE_ENDIAN KSYM_ENDIAN_BIG
#else
#define NATIVE_ENDIAN KSYM_ENDIAN_LITTLE
#endif

static uint32_t rd32(const struct ksym_table *t, uint64_t off)
{
	uint32_t v = *(const ksym_u32a *)(const void *)(t->blob + off);

	return t->swap ? __builtin_bswap32(v) : v;
}

static uint64_t rd64(const struct ksym_table *t, uint64_t off)
{
	uint64_t v = *(const ksym_u64a *)(const void *)(t->blob + off);

	return t->swap ? __builtin_bswap64(v) : v;
}

static uint64_t rec_off(const struct ksym_table *t, uint32_t i)
{
	return KSYM_HDR_SIZE + (uint64_t)i * t->record_size;
}

static uint64_t rec_start(const struct ksym_table *t, uint32_t i)
{
	uint64_t off = rec_off(t, i) + KSYM_REC_START;

	return t->addr_size == 8 ? rd64(t, off) : rd32(t, off);
}

static uint32_t rec_size(const struct ksym_table *t, uint32_t i)
{
	return rd32(t, rec_off(t, i) + KSYM_REC_SIZE(t->addr_size));
}

static uint32_t rec_name_off(const struct ksym_table *t, uint32_t i)
{
	return rd32(t, rec_off(t, i) + KSYM_REC_NAME_OFF(t->addr_size));
}

/* The entry (type letter, then name) of record i; proven in bounds by open. */
static const char *rec_entry(const struct ksym_table *t, uint32_t i)
{
	return (const char *)t->blob + t->strings_off + rec_name_off(t, i);
}

static uint32_t index_at(const struct ksym_table *t, uint32_t k)
{
	return rd32(t, t->index_off + (uint64_t)k * 4);
}

static int str_cmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/* 8 bytes as a little-endian word, whatever this CPU's byte order. */
static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

uint32_t ksym_checksum(const unsigned char *p, uint64_t len)
{
	uint64_t h = KSYM_SUM_BASIS, i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w = le64(p + i);

		if (i == KSYM_HDR_CHECKSUM - 4) /* the checksum field reads as 0 */
			w &= 0xffffffffu;
		h = (h ^ w) * KSYM_SUM_PRIME;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * KSYM_SUM_PRIME;
	return (uint32_t)(h ^ h >> 32);
}

static int fail(const char **why, int status, const char *reason)
{
	if (why)
		*why = reason;
	return status;
}

/* Header fields and the layout they describe; no record is read yet. */
static int open_header(struct ksym_table *t, const unsigned char *b,
		       uint64_t blob_size, uint64_t count, const char **why)
{
	if (blob_size < KSYM_HDR_SIZE)
		return fail(why, KSYM_ERR_CORRUPT, "placeholder smaller than the table header");
	if (b[KSYM_HDR_MAGIC] != KSYM_MAGIC0 || b[KSYM_HDR_MAGIC + 1] != KSYM_MAGIC1 ||
	    b[KSYM_HDR_MAGIC + 2] != KSYM_MAGIC2 || b[KSYM_HDR_MAGIC + 3] != KSYM_MAGIC3) {
		if (count == 0)
			return fail(why, KSYM_ERR_UNPATCHED, "symbol table not patched");
		return fail(why, KSYM_ERR_CORRUPT, "bad magic");
	}
	if (b[KSYM_HDR_VERSION] != KSYM_FORMAT_VERSION)
		return fail(why, KSYM_ERR_VERSION, "unsupported format version");

	uint8_t endian = b[KSYM_HDR_ENDIAN];
	uint8_t addr_size = b[KSYM_HDR_ADDR_SIZE];

	if (endian != KSYM_ENDIAN_LITTLE && endian != KSYM_ENDIAN_BIG)
		return fail(why, KSYM_ERR_CORRUPT, "bad byte order field");
	if ((addr_size != 4 && addr_size != 8) ||
	    b[KSYM_HDR_RECORD_SIZE] != KSYM_RECORD_SIZE(addr_size))
		return fail(why, KSYM_ERR_CORRUPT, "bad address or record size");
	if ((uintptr_t)b % addr_size)
		return fail(why, KSYM_ERR_CORRUPT, "table is not aligned in memory");

	t->blob = b;
	t->swap = endian != NATIVE_ENDIAN;
	t->addr_size = addr_size;
	t->record_size = KSYM_RECORD_SIZE(addr_size);
	t->count = rd32(t, KSYM_HDR_COUNT);
	t->span = rd32(t, KSYM_HDR_SPAN);
	t->index_off = rd32(t, KSYM_HDR_INDEX_OFF);
	t->strings_off = rd32(t, KSYM_HDR_STRINGS_OFF);
	t->strings_size = rd32(t, KSYM_HDR_STRINGS_SIZE);

	if (t->count != count)
		return fail(why, KSYM_ERR_CORRUPT, "record count disagrees with NUM_KERNEL_SYMBOLS");
	/* The layout is fixed by the count; any other offset is corruption. */
	if (t->index_off != rec_off(t, t->count) ||
	    t->strings_off != t->index_off + (uint64_t)t->count * 4 ||
	    (uint64_t)t->strings_off + t->strings_size > blob_size)
		return fail(why, KSYM_ERR_CORRUPT, "table runs past the placeholder");
	if (t->count && (t->strings_size == 0 ||
			 b[t->strings_off + t->strings_size - 1] != '\0'))
		return fail(why, KSYM_ERR_CORRUPT, "string pool is not NUL-terminated");

	if (ksym_checksum(b, ksym_blob_bytes(t)) != rd32(t, KSYM_HDR_CHECKSUM))
		return fail(why, KSYM_ERR_CORRUPT, "checksum mismatch");
	return KSYM_OK;
}

int ksym_open(struct ksym_table *out, const void *blob, uint64_t blob_size,
	      uint64_t count, const char **why)
{
	struct ksym_table t = { 0 };
	int err = open_header(&t, blob, blob_size, count, why);

	if (err)
		return err;

	uint64_t addr_max = t.addr_size == 8 ? UINT64_MAX : UINT32_MAX;

	for (uint32_t i = 0; i < t.count; i++) {
		uint64_t start = rec_start(&t, i);

		/* An entry needs its type letter and a NUL inside the pool. */
		if ((uint64_t)rec_name_off(&t, i) + 1 >= t.strings_size)
			return fail(why, KSYM_ERR_CORRUPT, "name offset past the string pool");
		uint32_t size = rec_size(&t, i);

		/* [start, start + size) may end exactly at the top of the address space. */
		if (size && size - 1 > addr_max - start)
			return fail(why, KSYM_ERR_CORRUPT, "symbol runs past the address space");
		if (i && start < rec_start(&t, i - 1))
			return fail(why, KSYM_ERR_CORRUPT, "records are not sorted by address");
	}
	for (uint32_t k = 0; k < t.count; k++) {
		if (index_at(&t, k) >= t.count)
			return fail(why, KSYM_ERR_CORRUPT, "name index entry out of range");
		if (k && str_cmp(rec_entry(&t, index_at(&t, k - 1)) + KSYM_NAME_TEXT,
				 rec_entry(&t, index_at(&t, k)) + KSYM_NAME_TEXT) > 0)
			return fail(why, KSYM_ERR_CORRUPT, "name index is not sorted");
	}
	*out = t;
	return KSYM_OK;
}

uint64_t ksym_blob_bytes(const struct ksym_table *t)
{
	return (uint64_t)t->strings_off + t->strings_size;
}

void ksym_symbol_at(const struct ksym_table *t, uint32_t i, struct ksym_symbol *out)
{
	const char *entry = rec_entry(t, i);

	out->start = rec_start(t, i);
	out->size = rec_size(t, i);
	out->type = entry[KSYM_NAME_TYPE];
	out->name = entry + KSYM_NAME_TEXT;
}

static int contains(const struct ksym_table *t, uint32_t i, uint64_t addr)
{
	return addr - rec_start(t, i) < rec_size(t, i);
}

/* The first record whose start is greater than addr. */
static uint32_t upper_bound(const struct ksym_table *t, uint64_t addr)
{
	uint32_t lo = 0, hi = t->count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (rec_start(t, mid) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int ksym_lookup_addr(const struct ksym_table *t, uint64_t addr, struct ksym_symbol *out)
{
	uint32_t end = upper_bound(t, addr);

	if (end == 0)
		return KSYM_ERR_NOT_FOUND;

	/* The group of records sharing the greatest start <= addr (aliases: few). */
	uint64_t start = rec_start(t, end - 1);
	uint32_t first = end - 1;

	while (first > 0 && rec_start(t, first - 1) == start)
		first--;

	for (uint32_t i = first; i < end; i++) {
		if (contains(t, i, addr)) {
			ksym_symbol_at(t, i, out);
			return KSYM_OK;
		}
	}
	/*
	 * Nested symbols: a record that starts earlier and still contains addr
	 * reaches past a later start, so its size is at most span (computed by
	 * the patcher).  Walk back only that far; prefer the greatest start and,
	 * within it, the first record in table order.
	 */
	for (uint32_t i = first; i-- > 0 && addr - rec_start(t, i) < t->span;) {
		if (!contains(t, i, addr))
			continue;
		while (i > 0 && rec_start(t, i - 1) == rec_start(t, i) && contains(t, i - 1, addr))
			i--;
		ksym_symbol_at(t, i, out);
		return KSYM_OK;
	}
	return KSYM_ERR_NOT_FOUND;
}

size_t ksym_lookup_name(const struct ksym_table *t, const char *name,
			struct ksym_symbol *out, size_t max)
{
	uint32_t lo = 0, hi = t->count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (str_cmp(rec_entry(t, index_at(t, mid)) + KSYM_NAME_TEXT, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}

	size_t n = 0;

	for (uint32_t k = lo; k < t->count; k++, n++) {
		uint32_t i = index_at(t, k);

		if (str_cmp(rec_entry(t, i) + KSYM_NAME_TEXT, name) != 0)
			break;
		if (n < max)
			ksym_symbol_at(t, i, &out[n]);
	}
	return n;
}

/* Append text to buf[0..len), counting the full length in *pos. */
static void put_str(char *buf, size_t len, size_t *pos, const char *s)
{
	for (; *s; s++, (*pos)++)
		if (*pos + 1 < len)
			buf[*pos] = *s;
}

static void put_hex(char *buf, size_t len, size_t *pos, uint64_t v)
{
	char digits[19] = "0x";
	int n = 0;
	char tmp[16];

	do {
		tmp[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	for (int i = 0; i < n; i++)
		digits[2 + i] = tmp[n - 1 - i];
	digits[2 + n] = '\0';
	put_str(buf, len, pos, digits);
}

size_t ksym_format(char *buf, size_t len, const struct ksym_symbol *sym, uint64_t addr)
{
	size_t pos = 0;

	put_str(buf, len, &pos, sym->name);
	put_str(buf, len, &pos, "+");
	put_hex(buf, len, &pos, addr - sym->start);
	put_str(buf, len, &pos, "/");
	put_hex(buf, len, &pos, sym->size);
	if (len)
		buf[pos < len ? pos : len - 1] = '\0';
	return pos;
}

const char *ksym_strerror(int status)
{
	switch (status) {
	case KSYM_OK:
		return "ok";
	case KSYM_ERR_UNPATCHED:
		return "symbol table not patched";
	case KSYM_ERR_CORRUPT:
		return "symbol table corrupt";
	case KSYM_ERR_VERSION:
		return "symbol table has another format version";
	case KSYM_ERR_NOT_FOUND:
		return "no symbol at this address";
	}
	return "unknown error";
}
