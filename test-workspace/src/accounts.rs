//! Accounts: threads deposit into a static total while the main thread holds the std values a debugger must show
//! readably (String, &str, Option, Result, enums, a 100,000-element Vec, a HashMap), then an audit thread panics
//! and its join catches the panic. Run: accounts [workers] (3 by default).
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// Written by every worker: the data breakpoint target.
static DEPOSITS: AtomicU64 = AtomicU64::new(0);
/// Written by main only, once the workers are done.
static mut AUDITS: u64 = 0;

#[allow(dead_code)]
#[derive(Debug)]
enum Entry {
    Deposit { amount: u64, from: String },
    Fee(u32),
    Closed,
}

fn deposit(worker: u64, book: &Mutex<Vec<String>>) {
    let label = format!("worker-{}", worker);
    DEPOSITS.fetch_add(worker, Ordering::SeqCst); // BP:accounts-deposit
    book.lock().unwrap().push(label);
}

fn audit(limit: u64) -> u64 {
    let total = DEPOSITS.load(Ordering::SeqCst);
    if total > limit {
        panic!("audit failed: {} over {}", total, limit); // BP:accounts-panic
    }
    total
}

/// Takes the Vec by reference, as most Rust functions do: gdb alone would index the reference as a pointer.
fn sum_first(balances: &Vec<u64>, n: usize) -> u64 {
    balances.iter().take(n).sum() // BP:accounts-sum
}

fn main() {
    let workers: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3);
    let owner = String::from("Ada \"the\" Lovelace");
    let nickname: &str = &owner[0..3];
    let maybe: Option<i32> = Some(42);
    let nothing: Option<i32> = None;
    let outcome: Result<u8, String> = Err(String::from("overdrawn"));
    let entries = vec![Entry::Deposit { amount: 250, from: String::from("bank") }, Entry::Fee(7), Entry::Closed];
    let balances: Vec<u64> = (0..100_000).map(|i| i * 3).collect();
    let mut rates = HashMap::new();
    rates.insert("eur", 2);
    let book = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (1..=workers)
        .map(|w| {
            let book = Arc::clone(&book);
            thread::spawn(move || deposit(w, &book))
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    unsafe {
        AUDITS += 1;
    }
    let first = sum_first(&balances, 4);
    let weekdays: [u16; 5] = [1, 2, 3, 4, 5];
    let days = &weekdays;
    let shared = std::rc::Rc::new(vec![7u8, 8, 9]);
    let mut boxed = Box::new(5u64);
    let spare = Box::new(6u64);
    *boxed += *spare;
    let audited = thread::spawn(|| audit(1)).join().is_ok(); // BP:accounts-audit
    println!("{} {} {:?} {:?} {:?} {:?} {} {:?} {} {} {:?} {:?} {}", owner, nickname, maybe, nothing, outcome, entries, balances.len(), rates, audited, first, days, shared, boxed); // BP:accounts-values
    println!("deposits {} audits {}", DEPOSITS.load(Ordering::SeqCst), unsafe { AUDITS });
}
