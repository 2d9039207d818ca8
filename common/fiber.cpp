#include "common/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <boost/context/fiber.hpp>
#include <boost/context/stack_context.hpp>
#include <cxxabi.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>
#include <vector>

#include "common/stack_depth.h"
#include "common/temp_schema.h"

namespace tessera {

namespace ctx = boost::context;

namespace {

// The C++ runtime keeps the exceptions being handled (what `throw;` and
// std::current_exception() see) per thread (__cxa_get_globals). A fiber that
// parks inside a catch block (a rollback on error, then `throw;`) and
// resumes on another thread must take that state along, or the rethrow
// finds none and the process terminates. libstdc++'s layout of it, as
// Folly's fibers swap it:
struct ExceptionState {
  void* caught_exceptions;
  unsigned int uncaught_exceptions;
};

ExceptionState* ThreadExceptionState() {
  return reinterpret_cast<ExceptionState*>(abi::__cxa_get_globals());
}


// 64 MB of address space each: a 20,000-term expression needs some 20 MB
// across the walks over it; stack_depth.h stops deeper ones cleanly.
constexpr size_t kStackSize = 64 << 20;
// Stacks kept for reuse, so a point select does not pay an mmap.
constexpr size_t kPooledStacks = 32;
// What a pooled stack keeps resident at most: below this, its pages go back
// to the kernel, so one deep statement does not pin megabytes for good.
constexpr size_t kPooledResident = 1 << 20;

thread_local Fiber* current_fiber = nullptr;

// Guard-paged stacks from mmap, pooled.
class StackPool {
 public:
  static StackPool& Instance() {
    static StackPool* pool = new StackPool();  // never destroyed: fibers may outlive static destruction order
    return *pool;
  }

  ctx::stack_context Allocate() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        ctx::stack_context sc = free_.back();
        free_.pop_back();
        return sc;
      }
    }
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    const size_t total = kStackSize + page;
    void* base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                        -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc();
    ::mprotect(base, page, PROT_NONE);  // guard page: an overflow faults instead of corrupting the heap
    ctx::stack_context sc;
    sc.size = total;
    sc.sp = static_cast<char*>(base) + total;
    return sc;
  }

  void Deallocate(ctx::stack_context& sc) {
    char* base = static_cast<char*>(sc.sp) - sc.size;
    {
      std::lock_guard lock(mutex_);
      if (free_.size() < kPooledStacks) {
        ::madvise(base, sc.size - kPooledResident, MADV_DONTNEED);
        free_.push_back(sc);
        return;
      }
    }
    ::munmap(base, sc.size);
  }

 private:
  std::mutex mutex_;
  std::vector<ctx::stack_context> free_;
};

// The Boost.Context StackAllocator over the pool; it tells the fiber where
// its stack lies, for the depth checks.
struct PooledStack {
  StackBounds* bounds;
  ctx::stack_context allocate() {
    ctx::stack_context sc = StackPool::Instance().Allocate();
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    bounds->high = static_cast<const char*>(sc.sp);
    bounds->low = static_cast<const char*>(sc.sp) - sc.size + page;
    return sc;
  }
  void deallocate(ctx::stack_context& sc) noexcept { StackPool::Instance().Deallocate(sc); }
};

// Timers for WaitSlot timeouts: one thread, shared by every wait.
class Timers {
 public:
  static Timers& Instance() {
    static Timers* timers = new Timers();
    return *timers;
  }
  std::shared_ptr<boost::asio::steady_timer> After(std::chrono::milliseconds delay, std::function<void()> fn) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
    timer->async_wait([fn = std::move(fn)](const boost::system::error_code& ec) {
      if (!ec) fn();
    });
    return timer;
  }

 private:
  Timers() : work_(io_.get_executor()) {
    std::thread([this] { io_.run(); }).detach();
  }
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
};

}  // namespace

struct Fiber::State {
  Post post;
  std::function<void()> body;
  ctx::fiber self;    // the fiber while it is switched out
  ctx::fiber caller;  // the worker's context while the fiber runs
  std::function<void()> after_switch;
  bool done = false;
  StackBounds bounds;
  const std::string* temp_schema = nullptr;  // the session's (temp_schema.h), while switched out
  ExceptionState exceptions{nullptr, 0};  // the fiber's, while it is switched out
  std::shared_ptr<Fiber> keep_alive;  // while the body has not finished
};

size_t Fiber::StackSize() { return kStackSize; }

Fiber* Fiber::Current() { return current_fiber; }

Fiber::Fiber(Post post, std::function<void()> body) : state_(std::make_unique<State>()) {
  state_->post = std::move(post);
  state_->body = std::move(body);
  State* s = state_.get();
  s->self = ctx::fiber(std::allocator_arg, PooledStack{&s->bounds}, [s](ctx::fiber&& caller) {
    s->caller = std::move(caller);
    try {
      s->body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fatal: exception escaped a session fiber: %s\n", e.what());
      std::abort();
    }
    s->done = true;
    return std::move(s->caller);
  });
}

Fiber::~Fiber() = default;

void Fiber::Run(Post post, std::function<void()> body) {
  std::shared_ptr<Fiber> fiber(new Fiber(std::move(post), std::move(body)));
  fiber->state_->keep_alive = fiber;
  fiber->Step();
}

void Fiber::Step() {
  State* s = state_.get();
  Fiber* previous = current_fiber;
  StackBounds previous_bounds = SetStackBounds(s->bounds);
  current_fiber = this;
  ExceptionState* exceptions = ThreadExceptionState();
  const ExceptionState thread_exceptions = *exceptions;
  *exceptions = s->exceptions;
  const std::string* thread_temp_schema = SetActiveTempSchema(s->temp_schema);
  s->self = std::move(s->self).resume();
  s->temp_schema = SetActiveTempSchema(thread_temp_schema);
  s->exceptions = *exceptions;
  *exceptions = thread_exceptions;
  current_fiber = previous;
  SetStackBounds(previous_bounds);
  if (s->done) {
    s->keep_alive.reset();  // may destroy this fiber: touch nothing after
    return;
  }
  if (s->after_switch) {
    std::function<void()> after = std::move(s->after_switch);
    s->after_switch = nullptr;
    after();
  }
}

void Fiber::Suspend(std::function<void()> after_switch) {
  State* s = state_.get();
  s->after_switch = std::move(after_switch);
  s->caller = std::move(s->caller).resume();
  // Resumed, possibly on another worker thread: Step() installed our bounds.
}

void Fiber::Resume() {
  std::shared_ptr<Fiber> self = shared_from_this();
  state_->post([self] { self->Step(); });
}

void WaitSlot::Wake() {
  std::shared_ptr<Fiber> resume;
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
    resume = std::move(parked_);
  }
  cv_.notify_all();
  if (resume) resume->Resume();
}

void WaitSlot::Expire() {
  std::shared_ptr<Fiber> resume;
  {
    std::lock_guard lock(mutex_);
    if (woken_) return;
    expired_ = true;
    resume = std::move(parked_);
  }
  cv_.notify_all();
  if (resume) resume->Resume();
}

bool WaitSlot::Wait(std::chrono::milliseconds timeout) {
  Fiber* fiber = Fiber::Current();
  if (fiber == nullptr) {
    std::unique_lock lock(mutex_);
    auto ready = [this] { return woken_; };
    if (timeout.count() <= 0) {
      cv_.wait(lock, ready);
      return true;
    }
    return cv_.wait_for(lock, timeout, ready);
  }
  std::shared_ptr<boost::asio::steady_timer> timer;
  if (timeout.count() > 0) {
    std::weak_ptr<WaitSlot> weak = weak_from_this();
    timer = Timers::Instance().After(timeout, [weak] {
      if (auto slot = weak.lock()) slot->Expire();
    });
  }
  std::shared_ptr<WaitSlot> self = shared_from_this();
  std::shared_ptr<Fiber> me = fiber->shared_from_this();
  // Runs on the worker after the switch, so a Wake() racing with it can
  // never resume a fiber that is still on its stack.
  fiber->Suspend([self, me] {
    bool now;
    {
      std::lock_guard lock(self->mutex_);
      now = self->woken_ || self->expired_;
      if (!now) self->parked_ = me;
    }
    if (now) me->Resume();
  });
  // Cancelled on the timers' own thread (a timer is not thread-safe); an
  // Expire() that slips in after Wake() does nothing.
  if (timer) boost::asio::post(timer->get_executor(), [timer] { timer->cancel(); });
  std::lock_guard lock(mutex_);
  return woken_;
}

}  // namespace tessera
