package io.courier.rpc.benchmark.grpc;

import io.courier.rpc.benchmark.AsyncUserService;
import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.benchmark.contender.ClientAdapter;
import io.courier.rpc.benchmark.contender.Contender;
import io.courier.rpc.benchmark.contender.UserStreamClient;
import io.courier.rpc.benchmark.grpc.proto.BoolReply;
import io.courier.rpc.benchmark.grpc.proto.ExistUserRequest;
import io.courier.rpc.benchmark.grpc.proto.GetUserRequest;
import io.courier.rpc.benchmark.grpc.proto.ListUserRequest;
import io.courier.rpc.benchmark.grpc.proto.PageProto;
import io.courier.rpc.benchmark.grpc.proto.StreamUsersRequest;
import io.courier.rpc.benchmark.grpc.proto.UserGrpcServiceGrpc;
import io.courier.rpc.benchmark.grpc.proto.UserProto;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * grpc-java over its shaded Netty (epoll when available), protobuf messages with the same fields
 * as the workload objects, one channel (one HTTP/2 connection), unary calls (and server streams in
 * the streaming phase), default executors. Every call and stream carries a deadline, as Courier's
 * and Dubbo's calls carry a timeout. Asynchronous
 * calls use the async stub with an observer that completes a future; blocking ones the blocking
 * stub.
 *
 * <p>Thread-safe (stateless).
 */
public final class GrpcContender implements Contender {

    private static final long DEADLINE_MILLIS = 10_000;

    @Override
    public String name() {
        return "grpc";
    }

    @Override
    public String description() {
        return "grpc-java 1.85.1 (netty-shaded), protobuf 4.33, one channel, unary calls (server streams in the streaming phase), default executors";
    }

    @Override
    public RunningServer startServer(String host, int port) {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .addService(new GrpcUserService(new FixedUserService()))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the gRPC server on " + host + ":" + port, e);
        }
        return new RunningServer() {
            @Override
            public int port() {
                return server.getPort();
            }

            @Override
            public void close() {
                server.shutdown();
                try {
                    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                        server.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    server.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Override
    public ClientAdapter connect(String host, int port) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            awaitReady(channel);
        } catch (RuntimeException | InterruptedException e) {
            channel.shutdownNow();
            throw e;
        }
        UserService sync = new BlockingClient(UserGrpcServiceGrpc.newBlockingStub(channel));
        AsyncUserService async = new AsyncClient(UserGrpcServiceGrpc.newStub(channel));
        UserStreamClient streams = new StreamClient(UserGrpcServiceGrpc.newStub(channel),
                UserGrpcServiceGrpc.newBlockingStub(channel));
        return ClientAdapter.of(sync, async, null, streams, () -> {
            channel.shutdown();
            try {
                if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                    channel.shutdownNow();
                }
            } catch (InterruptedException e) {
                channel.shutdownNow();
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void awaitReady(ManagedChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ConnectivityState state = channel.getState(true);
        while (state != ConnectivityState.READY) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("gRPC channel not ready after 10 s: " + state);
            }
            CountDownLatch changed = new CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            changed.await(100, TimeUnit.MILLISECONDS);
            state = channel.getState(true);
        }
    }

    /** Blocking calls through the blocking stub. */
    private static final class BlockingClient implements UserService {

        private final UserGrpcServiceGrpc.UserGrpcServiceBlockingStub stub;

        BlockingClient(UserGrpcServiceGrpc.UserGrpcServiceBlockingStub stub) {
            this.stub = stub;
        }

        private UserGrpcServiceGrpc.UserGrpcServiceBlockingStub call() {
            return stub.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public boolean existUser(String email) {
            return call().existUser(ExistUserRequest.newBuilder().setEmail(email).build()).getValue();
        }

        @Override
        public User getUser(long id) {
            return ProtoMapper.fromProto(call().getUser(GetUserRequest.newBuilder().setId(id).build()));
        }

        @Override
        public Page<User> listUser(int pageNo) {
            return ProtoMapper.fromProto(call().listUser(ListUserRequest.newBuilder().setPageNo(pageNo).build()));
        }

        @Override
        public boolean createUser(User user) {
            return call().createUser(ProtoMapper.toProto(user)).getValue();
        }
    }

    /** Asynchronous calls through the async stub; the observer is the returned future. */
    private static final class AsyncClient implements AsyncUserService {

        private final UserGrpcServiceGrpc.UserGrpcServiceStub stub;

        AsyncClient(UserGrpcServiceGrpc.UserGrpcServiceStub stub) {
            this.stub = stub;
        }

        private UserGrpcServiceGrpc.UserGrpcServiceStub call() {
            return stub.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public CompletableFuture<Boolean> existUser(String email) {
            UnaryFuture<BoolReply, Boolean> future = new UnaryFuture<>(BoolReply::getValue);
            call().existUser(ExistUserRequest.newBuilder().setEmail(email).build(), future);
            return future;
        }

        @Override
        public CompletableFuture<User> getUser(long id) {
            UnaryFuture<UserProto, User> future = new UnaryFuture<>(ProtoMapper::fromProto);
            call().getUser(GetUserRequest.newBuilder().setId(id).build(), future);
            return future;
        }

        @Override
        public CompletableFuture<Page<User>> listUser(int pageNo) {
            UnaryFuture<PageProto, Page<User>> future = new UnaryFuture<>(ProtoMapper::fromProto);
            call().listUser(ListUserRequest.newBuilder().setPageNo(pageNo).build(), future);
            return future;
        }

        @Override
        public CompletableFuture<Boolean> createUser(User user) {
            UnaryFuture<BoolReply, Boolean> future = new UnaryFuture<>(BoolReply::getValue);
            call().createUser(ProtoMapper.toProto(user), future);
            return future;
        }
    }

    /**
     * The streaming phase's consumer: asynchronously, the async stub with an observer that maps
     * and counts each message (gRPC's default automatic inbound flow control); blocking, the
     * blocking stub's iterator. Each stream has the calls' deadline; each message is mapped to a
     * {@link User}, as the unary calls map theirs.
     */
    private static final class StreamClient implements UserStreamClient {

        private final UserGrpcServiceGrpc.UserGrpcServiceStub stub;
        private final UserGrpcServiceGrpc.UserGrpcServiceBlockingStub blockingStub;

        StreamClient(UserGrpcServiceGrpc.UserGrpcServiceStub stub,
                UserGrpcServiceGrpc.UserGrpcServiceBlockingStub blockingStub) {
            this.stub = stub;
            this.blockingStub = blockingStub;
        }

        @Override
        public CompletableFuture<Integer> consume(long firstId, int count) {
            CountingObserver observer = new CountingObserver();
            stub.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .streamUsers(StreamUsersRequest.newBuilder().setFirstId(firstId).setCount(count).build(), observer);
            return observer;
        }

        @Override
        public int consumeBlocking(long firstId, int count) {
            Iterator<UserProto> users = blockingStub.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .streamUsers(StreamUsersRequest.newBuilder().setFirstId(firstId).setCount(count).build());
            int received = 0;
            while (users.hasNext()) {
                ProtoMapper.fromProto(users.next());
                received++;
            }
            return received;
        }
    }

    /** A future of a server stream's message count; gRPC calls the observer serially. */
    private static final class CountingObserver extends CompletableFuture<Integer> implements StreamObserver<UserProto> {

        private int received;

        @Override
        public void onNext(UserProto value) {
            ProtoMapper.fromProto(value);
            received++;
        }

        @Override
        public void onError(Throwable t) {
            completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            complete(received);
        }
    }

    /** A future completed by a unary call's observer, mapping the message on completion. */
    private static final class UnaryFuture<P, T> extends CompletableFuture<T> implements StreamObserver<P> {

        private final Function<P, T> mapper;
        private P message;

        UnaryFuture(Function<P, T> mapper) {
            this.mapper = mapper;
        }

        @Override
        public void onNext(P value) {
            message = value;
        }

        @Override
        public void onError(Throwable t) {
            completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            try {
                complete(mapper.apply(message));
            } catch (RuntimeException e) {
                completeExceptionally(e);
            }
        }
    }
}
