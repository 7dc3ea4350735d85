//! The one stable hash: item content hashes, near-duplicate stem shingles, exposure
//! parameter keys and the seeds of exhibit drawings. No dependencies, so every part may
//! use it.

/// FNV-1a, 64 bits: a small, stable, non-cryptographic hash (the same value on every
/// platform and in every version, unlike `std`'s hasher).
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}
