//! `TcpInfo`: the fields of Linux's `struct tcp_info` (`getsockopt(IPPROTO_TCP, TCP_INFO)`)
//! that a program usually wants, by name.
//!
//! Python returns the raw bytes (`getsockopt(IPPROTO_TCP, TCP_INFO, 104)`) and leaves the
//! `struct.unpack` to you; here they are decoded from the offsets of
//! `include/uapi/linux/tcp.h`, little by little with bounds checks, so an older kernel that
//! returns a shorter struct leaves the missing fields at 0 instead of failing.

/// A decoded `struct tcp_info` (tcp(7), `TCP_INFO`); times are in the kernel's units, given
/// in each field's name or doc.
///
/// ```
/// use asock::blocking::TcpInfo;
///
/// let mut raw = vec![0u8; TcpInfo::SIZE];
/// raw[0] = 1; // TCP_ESTABLISHED
/// raw[16..20].copy_from_slice(&1448u32.to_ne_bytes());
/// let info = TcpInfo::from_bytes(&raw);
/// assert_eq!((info.state, info.snd_mss), (1, 1448));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TcpInfo {
    /// The connection state (`TCP_ESTABLISHED` = 1, `TCP_LISTEN` = 10, ...).
    pub state: u8,
    /// The congestion-avoidance state (`TCP_CA_Open` = 0, ...).
    pub ca_state: u8,
    /// Retransmissions of the current unacknowledged segment.
    pub retransmits: u8,
    /// Unanswered zero-window probes.
    pub probes: u8,
    /// Exponential backoff count.
    pub backoff: u8,
    /// Negotiated options (`TCPI_OPT_TIMESTAMPS` = 1, `SACK` = 2, `WSCALE` = 4, ...).
    pub options: u8,
    /// Send window scale.
    pub snd_wscale: u8,
    /// Receive window scale.
    pub rcv_wscale: u8,
    /// Retransmission timeout, microseconds.
    pub rto_us: u32,
    /// Delayed-ACK timeout, microseconds.
    pub ato_us: u32,
    /// Send maximum segment size.
    pub snd_mss: u32,
    /// Receive maximum segment size (estimated).
    pub rcv_mss: u32,
    /// Segments sent and not yet acknowledged.
    pub unacked: u32,
    /// Segments selectively acknowledged.
    pub sacked: u32,
    /// Segments presumed lost.
    pub lost: u32,
    /// Segments being retransmitted.
    pub retrans: u32,
    /// Time since data was last sent, milliseconds.
    pub last_data_sent_ms: u32,
    /// Time since data was last received, milliseconds.
    pub last_data_recv_ms: u32,
    /// Time since an ACK was last received, milliseconds.
    pub last_ack_recv_ms: u32,
    /// Path MTU.
    pub pmtu: u32,
    /// Receive slow-start threshold.
    pub rcv_ssthresh: u32,
    /// Smoothed round-trip time, microseconds.
    pub rtt_us: u32,
    /// Round-trip time variance, microseconds.
    pub rttvar_us: u32,
    /// Send slow-start threshold.
    pub snd_ssthresh: u32,
    /// Congestion window, in segments.
    pub snd_cwnd: u32,
    /// Advertised MSS.
    pub advmss: u32,
    /// Reordering metric.
    pub reordering: u32,
    /// Receiver-side RTT estimate, microseconds.
    pub rcv_rtt_us: u32,
    /// Receive buffer space the receiver advertises room for.
    pub rcv_space: u32,
    /// Retransmissions over the connection's life.
    pub total_retrans: u32,
    /// Pacing rate, bytes per second.
    pub pacing_rate: u64,
    /// Bytes acknowledged by the peer (`tcpi_bytes_acked`, RFC 4898).
    pub bytes_acked: u64,
    /// Bytes received (`tcpi_bytes_received`).
    pub bytes_received: u64,
    /// Segments sent.
    pub segs_out: u32,
    /// Segments received.
    pub segs_in: u32,
}

impl TcpInfo {
    /// The bytes asock asks the kernel for: up to and including `tcpi_segs_in`.
    ///
    /// ```
    /// assert_eq!(asock::blocking::TcpInfo::SIZE, 144);
    /// ```
    pub const SIZE: usize = 144;

    /// Decodes the bytes `getsockopt(IPPROTO_TCP, TCP_INFO, n)` returned (Python's result
    /// too); fields past the end of `bytes` are 0.
    ///
    /// ```
    /// use asock::blocking::TcpInfo;
    ///
    /// // Python's getsockopt(IPPROTO_TCP, TCP_INFO, 8): only the first eight bytes.
    /// let info = TcpInfo::from_bytes(&[10, 0, 0, 0, 0, 0, 0x77, 0]);
    /// assert_eq!((info.state, info.snd_wscale, info.rcv_wscale, info.snd_mss), (10, 7, 7, 0));
    /// ```
    #[must_use]
    pub fn from_bytes(bytes: &[u8]) -> TcpInfo {
        let u8_at = |at: usize| bytes.get(at).copied().unwrap_or(0);
        let u32_at = |at: usize| {
            bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map_or(0, u32::from_ne_bytes)
        };
        let u64_at = |at: usize| {
            bytes.get(at..at + 8).and_then(|b| b.try_into().ok()).map_or(0, u64::from_ne_bytes)
        };
        // Byte 6 packs two 4-bit fields: tcpi_snd_wscale in the low bits on little-endian
        // bitfield layout (x86, arm), rcv_wscale in the high ones.
        let wscale = u8_at(6);
        TcpInfo {
            state: u8_at(0),
            ca_state: u8_at(1),
            retransmits: u8_at(2),
            probes: u8_at(3),
            backoff: u8_at(4),
            options: u8_at(5),
            snd_wscale: wscale & 0x0f,
            rcv_wscale: wscale >> 4,
            rto_us: u32_at(8),
            ato_us: u32_at(12),
            snd_mss: u32_at(16),
            rcv_mss: u32_at(20),
            unacked: u32_at(24),
            sacked: u32_at(28),
            lost: u32_at(32),
            retrans: u32_at(36),
            // 40: tcpi_fackets (unused since Linux 4.15)
            last_data_sent_ms: u32_at(44),
            // 48: tcpi_last_ack_sent (never set by Linux)
            last_data_recv_ms: u32_at(52),
            last_ack_recv_ms: u32_at(56),
            pmtu: u32_at(60),
            rcv_ssthresh: u32_at(64),
            rtt_us: u32_at(68),
            rttvar_us: u32_at(72),
            snd_ssthresh: u32_at(76),
            snd_cwnd: u32_at(80),
            advmss: u32_at(84),
            reordering: u32_at(88),
            rcv_rtt_us: u32_at(92),
            rcv_space: u32_at(96),
            total_retrans: u32_at(100),
            pacing_rate: u64_at(104),
            // 112: tcpi_max_pacing_rate
            bytes_acked: u64_at(120),
            bytes_received: u64_at(128),
            segs_out: u32_at(136),
            segs_in: u32_at(140),
        }
    }
}
