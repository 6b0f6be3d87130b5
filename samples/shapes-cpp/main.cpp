/* shapes-cpp: a C++ guest (docs/GUEST_ABI.md, "C++ guests"): classes with virtual functions, a class
   template over new[]/delete[], new/delete of objects, and a static object built before main. Reads n
   (decimal text), builds n shapes (odd i: an i × (i + 1) rectangle, even i: an i × i square) and commits
   the sum of their areas as a little-endian u64. */
#include <stdint.h>
#include <stdlib.h>
#include "zkvm.h"

class Shape
{
public:
    virtual ~Shape() = default;
    virtual uint64_t area() const = 0;
};

class Rect final : public Shape
{
    uint32_t w_, h_;

public:
    Rect(uint32_t w, uint32_t h) : w_(w), h_(h) {}
    uint64_t area() const override { return (uint64_t)w_ * h_; }
};

class Square final : public Shape
{
    uint32_t side_;

public:
    explicit Square(uint32_t side) : side_(side) {}
    uint64_t area() const override { return (uint64_t)side_ * side_; }
};

template <typename T>
class List
{
    T *items_;
    size_t size_ = 0, capacity_;

public:
    explicit List(size_t capacity) : items_(new T[capacity]), capacity_(capacity) {}
    ~List() { delete[] items_; }
    List(const List &) = delete;
    List &operator=(const List &) = delete;
    void add(T item)
    {
        if (size_ < capacity_)
            items_[size_++] = item;
    }
    size_t size() const { return size_; }
    T operator[](size_t i) const { return items_[i]; }
};

static uint32_t extra = 0;
static struct Setup
{
    Setup() { extra = 1; } // a static constructor: runs before main
} setup;

int main()
{
    char text[16] = {0};
    zkvm_read(text, sizeof text - 1);
    uint32_t n = (uint32_t)strtoul(text, nullptr, 10);
    if (n > 100000)
        return 2;

    List<Shape *> shapes(n);
    for (uint32_t i = 1; i <= n; i++)
        shapes.add(i % 2 ? static_cast<Shape *>(new Rect(i, i + extra)) : new Square(i));
    uint64_t total = 0;
    for (size_t i = 0; i < shapes.size(); i++)
    {
        total += shapes[i]->area();
        delete shapes[i];
    }
    zkvm_commit(&total, sizeof total);
    return 0;
}
