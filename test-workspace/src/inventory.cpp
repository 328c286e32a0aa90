// inventory: a multithreaded C++ program with the values C++ debugging is about: std::string, a large
// std::vector, std::map, a base pointer to a derived object, threads writing a shared member, and an exception
// thrown and caught. For the C++ presentation tests (pretty printers, dynamic types, paging, exceptions).
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

struct Item {
    virtual ~Item() = default;
    virtual const char *kind() const { return "item"; }
    std::string label;
    int quantity = 0;
};

struct Tool : Item {
    const char *kind() const override { return "tool"; }
    double weight = 1.5;
};

struct Ledger {
    long entries = 0; // written by every worker
    std::map<std::string, int> stock;
};

static Ledger ledger;
static std::atomic<int> finished{0};
// The workers take turns: a worker stopped by a data breakpoint on its write still holds the turn, so no other
// worker writes before that stop is reported (races are the data breakpoint tests' subject, not this program's).
static std::mutex turn;

static void worker(int index, int rounds)
{
    for (int i = 0; i < rounds; i++) {
        std::lock_guard<std::mutex> mine(turn);
        ledger.entries++; // BP:inventory-write
    }
    finished.fetch_add(index >= 0 ? 1 : 0);
}

static int audit(const std::vector<int> &counts)
{
    if (counts.size() > 3)
        throw std::runtime_error("audit failed: too many counts"); // BP:inventory-throw
    return 0;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? std::atoi(argv[1]) : 1000;
    std::string name = "warehouse \"north\"";
    std::vector<int> counts;
    for (int i = 0; i < 100000; i++)
        counts.push_back(i * 3);
    ledger.stock["bolts"] = 40;
    ledger.stock["nuts"] = 75;
    ledger.stock["washers"] = 12;
    auto tool = std::make_unique<Tool>();
    tool->label = "hammer";
    tool->quantity = 3;
    Item *item = tool.get();
    std::vector<std::vector<std::string>> shelves = {{"saw", "drill"}, {"glue"}};
    std::printf("inventory: %s has %zu counts and %zu shelves, first item is a %s\n", name.c_str(), counts.size(), shelves.size(), item->kind()); // BP:inventory-values
    std::fflush(stdout);

    std::vector<std::thread> threads;
    for (int t = 0; t < 4; t++)
        threads.emplace_back(worker, t, rounds);
    for (auto &t : threads)
        t.join();

    try {
        audit(counts);
    } catch (const std::exception &e) {
        std::printf("inventory: caught %s\n", e.what()); // BP:inventory-caught
    }
    std::printf("inventory: %ld entries\n", ledger.entries);
    return ledger.entries == 4L * rounds ? 0 : 1;
}
