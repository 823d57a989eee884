//! The hidden tests of `udp_echo`: left out of the repository students clone.
use super::*;
use crate::harness::{Ctx, ResultExt, Rng, TestDef, TestResult};
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("many_datagrams", 3, many_datagrams)
            .timeout(Duration::from_secs(30))
            .clauses(&[3, 5, 6]),
        TestDef::hidden("clients_in_bursts", 3, clients_in_bursts)
            .timeout(Duration::from_secs(30))
            .clauses(&[3, 7]),
    ]
}

/// A random size for a datagram: often small, sometimes empty or at the
/// contract's largest.
fn random_size(rng: &mut Rng) -> usize {
    match rng.below(8) {
        0 => 0,
        1 => LARGE,
        2 => rng.range(1025, LARGE as u64) as usize,
        _ => rng.range(1, 300) as usize,
    }
}

fn many_datagrams(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    let mut rng = t.rng();
    // One at a time, every size from empty to the largest among them.
    let mut sizes: Vec<usize> = vec![0, 1, LARGE, 1024, 1025, 1200];
    sizes.extend((0..54).map(|_| random_size(&mut rng)));
    rng.shuffle(&mut sizes);
    for (i, &len) in sizes.iter().enumerate() {
        let d = rng.bytes(len);
        c.echo(
            &d,
            &say("udpecho-datagram-n-of")
                .arg("n", i + 1)
                .arg("total", sizes.len()),
        )
        .context(say("udpecho-one-at-a-time"))?;
    }
    // Then in bursts, each sent whole before reading.
    for burst in 1..=5 {
        let mut datagrams: Vec<Vec<u8>> = (0..8)
            .map(|_| {
                let len = random_size(&mut rng);
                rng.bytes(len)
            })
            .collect();
        if burst == 1 {
            datagrams[0].clear();
            datagrams[1] = rng.bytes(LARGE);
        }
        for d in &datagrams {
            c.send(d)?;
        }
        let what = say("udpecho-burst").arg("n", burst).arg("count", 8);
        c.expect_replies(&datagrams, &what, &[])
            .context(say("udpecho-in-bursts"))?;
    }
    std::thread::sleep(EXTRA_WAIT);
    c.expect_nothing_more()
}

fn clients_in_bursts(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let names = ["client A", "client B", "client C"];
    let mut clients = Vec::new();
    for name in names {
        let mut c = t.udp_client(&server, name)?;
        c.set_remark(say("udpecho-three-clients-bursts"));
        clients.push(c);
    }
    let mut rng = t.rng();
    for round in 1..=3 {
        let mut sent: Vec<Vec<Vec<u8>>> = (0..names.len())
            .map(|_| {
                (0..4)
                    .map(|_| {
                        let len = random_size(&mut rng);
                        rng.bytes(len)
                    })
                    .collect()
            })
            .collect();
        if round == 1 {
            // Sizes every server must handle, whatever the random draw.
            sent[0][0].clear();
            sent[1][0] = rng.bytes(LARGE);
        }
        // Interleave the twelve sends at random.
        let mut order: Vec<(usize, usize)> = (0..names.len())
            .flat_map(|i| (0..4).map(move |k| (i, k)))
            .collect();
        rng.shuffle(&mut order);
        for &(i, k) in &order {
            clients[i].send(&sent[i][k])?;
        }
        for i in 0..clients.len() {
            let others: Vec<(&'static str, Vec<u8>)> = (0..names.len())
                .filter(|&j| j != i)
                .flat_map(|j| sent[j].iter().map(move |d| (names[j], d.clone())))
                .collect();
            let what = say("udpecho-round-burst")
                .arg("client", names[i])
                .arg("round", round);
            clients[i]
                .expect_replies(&sent[i], &what, &others)
                .map_err(|f| explain_timeout(f, &clients, i, &sent[i]))?;
        }
    }
    std::thread::sleep(EXTRA_WAIT);
    for c in &mut clients {
        c.expect_nothing_more()?;
    }
    Ok(())
}
