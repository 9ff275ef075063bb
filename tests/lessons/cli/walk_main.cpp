// Timing driver (not a test): walks lessons with Next to the end, then Back to the start, and prints
// how long each move took next to a full replay of the same step (what every move cost before Next
// became incremental). With --answer, each question is answered (its first correct answer) before
// Next, as a student would, and the answer's time (a predict's reveal) is printed too.
// Usage: gb_lessons_walk [--dir DIR] [--answer] [LESSON ...]  (ids, numbers or topics).
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "lab/session.hpp"
#include "lessons/lesson.hpp"
#include "lessons/runner.hpp"

using namespace gb;

namespace {
template <class F>
double ms(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  std::string dir = lessons_dir();
  std::vector<std::string> keys;
  bool answer = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--answer") answer = true;
    else keys.push_back(a);
  }
  std::vector<std::string> files;
  if (keys.empty()) files = lesson_files(dir);
  for (auto& k : keys) {
    std::string f = find_lesson_file(dir, k);
    if (f.empty()) {
      std::fprintf(stderr, "gb_lessons_walk: no lesson `%s` in %s\n", k.c_str(), dir.c_str());
      return 2;
    }
    files.push_back(f);
  }
  Session session;
  int errors = 0;
  for (auto& f : files) {
    LessonRunner r(session);
    if (!r.open(f, 0)) {
      for (auto& e : r.load_errors()) std::fprintf(stderr, "%s\n", e.str().c_str());
      ++errors;
      continue;
    }
    const int n = r.step_count();
    std::printf("%s (%d steps)\n  step   next ms  (incr)   full replay ms   back-to-here ms   answer ms\n",
                r.lesson().id.c_str(), n);
    std::vector<double> next_ms(size_t(n), 0), full_ms(size_t(n), 0), back_ms(size_t(n), 0), answer_ms(size_t(n), 0);
    auto answer_all = [&](int k) {  // the first correct answer of every question of step k
      const auto& blocks = r.lesson().steps[size_t(k)].blocks;
      for (int b = 0; b < int(blocks.size()); ++b)
        for (int a = 0; a < int(blocks[size_t(b)].answers.size()); ++a)
          if (blocks[size_t(b)].answers[size_t(a)].correct) {
            answer_ms[size_t(k)] += ms([&] { r.answer(b, a); });
            break;
          }
    };
    std::vector<bool> incr(size_t(n), false);
    full_ms[0] = ms([&] { r.replay(); });
    if (answer) answer_all(0);
    for (int k = 1; k < n; ++k) {
      next_ms[size_t(k)] = ms([&] { r.next(); });
      incr[size_t(k)] = r.last_move_incremental();
      errors += int(r.action_errors().size());
      if (answer) answer_all(k);
      full_ms[size_t(k)] = ms([&] { r.replay(); });  // with the answers given: what Next cost before
    }
    for (int k = n - 2; k >= 0; --k) back_ms[size_t(k)] = ms([&] { r.back(); });
    double tn = 0, tf = 0;
    for (int k = 0; k < n; ++k) {
      std::printf("  %4d  %8.1f  (%s)  %14.1f  %15.1f  %10.1f\n", k + 1, next_ms[size_t(k)],
                  k == 0 ? " -  " : incr[size_t(k)] ? "yes " : "no  ", full_ms[size_t(k)], back_ms[size_t(k)],
                  answer_ms[size_t(k)]);
      if (k > 0) tn += next_ms[size_t(k)], tf += full_ms[size_t(k)];
    }
    std::printf("  walking with Next: %.0f ms (was %.0f ms with a full replay per Next)\n", tn, tf);
  }
  return errors ? 1 : 0;
}
